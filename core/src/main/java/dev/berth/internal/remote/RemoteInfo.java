package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.HostInfo;
import dev.berth.internal.engine.PublicValues;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link HostInfo} for a remote engine: its name and version, and what it cannot do, why. */
final class RemoteInfo {
  /** What no Docker Engine API offers the way the local engine does it, and why. */
  static final Map<String, String> UNSUPPORTED = unsupported();

  private RemoteInfo() {}

  /** What the engine at {@code http} is ({@code version}: its {@code /version}) and can do. */
  static HostInfo info(DockerHttp http, JsonNode version) {
    JsonNode i = http.json("GET", "/info", null);
    String product = product(version);
    String engine = "remote " + http.host().url() + " (" + product + " "
        + version.path("Version").asText("?") + ", API " + version.path("ApiVersion").asText("?")
        + ")";
    boolean rootless = i.path("SecurityOptions").toString().contains("rootless");
    Map<String, String> modes = new LinkedHashMap<>();
    modes.put("bridge", "the engine's default network");
    modes.put("user-defined", "");
    modes.put("host", "the engine's host network (a VM's on a Mac or Windows)");
    modes.put("none", "");
    modes.put("container", "");
    return PublicValues.get().hostInfo(rootless, HostInfo.UserNamespace.NONE, List.of(),
        List.of(), HostInfo.RootfsMode.OVERLAY,
        "v" + i.path("CgroupVersion").asText("?"), true, "", modes, Map.of(),
        Path.of(i.path("DockerRootDir").asText("/")), null,
        i.path("KernelVersion").asText(""), engine, UNSUPPORTED, http.host().publishedHost());
  }

  /** @return the engine's product name from its {@code /version}: Docker Engine, Podman Engine … */
  static String product(JsonNode version) {
    return version.path("Components").path(0).path("Name").asText("Docker Engine");
  }

  private static Map<String, String> unsupported() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("unpackTo", "the image's layers are on the engine's host; run a container and"
        + " copyFrom it instead");
    m.put("save", "not implemented for remote engines yet (docker save against the engine)");
    m.put("load", "not implemented for remote engines yet (docker load against the engine)");
    m.put("push", "not implemented for remote engines yet (docker push against the engine)");
    m.put("build", "images are built by the local engine only (docker build against the engine)");
    m.put("login", "the engine checks credentials when it pulls; give them with"
        + " Berth.builder().credentials(…) or pull(reference, auth, listener)");
    m.put("stats", "not read from remote engines yet");
    m.put("home", "a remote engine has no BERTH_HOME");
    // removeWithJvm after SIGKILL is not here: RemoteReaper (and Berth's API server) remove them
    return m;
  }
}
