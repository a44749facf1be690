package dev.berth.internal.remote;

import dev.berth.Capability;
import dev.berth.Mount;
import dev.berth.NetworkMode;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.SeccompProfile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /containers/create} for {@link RunOptions}, as {@code docker run} sends it. */
final class RemoteCreate {
  private RemoteCreate() {}

  /**
   * @param elsewhere true when the engine is on another machine: a port published on
   *     127.0.0.1, this machine's loopback, is published on the engine host's every address, so
   *     that it is reached at {@code HostInfo.publishedPortHost()} (as Testcontainers publishes)
   */
  static Map<String, Object> body(String image, RunOptions o, String sessionLabel,
      String session, boolean elsewhere) {
    Map<String, Object> b = new LinkedHashMap<>();
    RunOptions.Process p = o.process();
    b.put("Image", image);
    if (p.command() != null) {
      b.put("Cmd", p.command());
    }
    if (p.entrypoint() != null) {
      b.put("Entrypoint", p.entrypoint());
    }
    putProcess(b, p.env(), p.workingDir(), p.user());
    b.put("Tty", p.tty());
    b.put("OpenStdin", p.stdinOpen());
    b.put("StdinOnce", p.stdinOpen() && !o.detach());
    b.put("AttachStdin", p.stdinOpen() && !o.detach());
    b.put("AttachStdout", !o.detach());
    b.put("AttachStderr", !o.detach());
    Map<String, String> labels = new LinkedHashMap<>(o.labels());
    labels.put(sessionLabel, session);
    if (o.removeWithJvm()) {
      labels.put(SessionHold.REMOVE_LABEL, "true"); // Berth's API server removes it with the session
      labels.put(RemoteReaper.REAP, session);
    }
    b.put("Labels", labels);
    RunOptions.Network n = o.network();
    if (n.hostname() != null) {
      b.put("Hostname", n.hostname());
    }
    Map<String, Object> exposed = new LinkedHashMap<>();
    Map<String, List<Map<String, String>>> bindings = new LinkedHashMap<>();
    for (PortMapping m : n.ports()) {
      String key = m.containerPort() + "/" + m.protocol();
      exposed.put(key, Map.of());
      bindings.computeIfAbsent(key, k -> new ArrayList<>()).add(Map.of(
          "HostIp", "0.0.0.0".equals(m.hostIp()) || elsewhere && "127.0.0.1".equals(m.hostIp())
              ? "" : m.hostIp(),
          "HostPort", m.hostPort() == 0 ? "" : Integer.toString(m.hostPort())));
    }
    b.put("ExposedPorts", exposed);
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("PortBindings", bindings);
    h.put("PublishAllPorts", n.publishAll());
    h.put("NetworkMode", mode(n.mode()));
    h.put("Mounts", o.mounts().stream().map(RemoteCreate::mount).toList());
    RunOptions.Limits l = o.limits();
    h.put("Memory", l.memoryBytes());
    if (l.memorySwapBytes() != 0) {
      h.put("MemorySwap", l.memorySwapBytes());
    }
    h.put("NanoCpus", (long) (l.cpus() * 1e9));
    h.put("CpuShares", l.cpuShares());
    if (l.pidsLimit() > 0) {
      h.put("PidsLimit", l.pidsLimit());
    }
    RunOptions.Security s = o.security();
    List<String> add = new ArrayList<>(s.capAdd().stream().map(Capability::capName).toList());
    if (s.capAddAll()) {
      add.add("ALL");
    }
    List<String> drop = new ArrayList<>(s.capDrop().stream().map(Capability::capName).toList());
    if (s.capDropAll()) {
      drop.add("ALL");
    }
    h.put("CapAdd", add);
    h.put("CapDrop", drop);
    h.put("Privileged", s.privileged());
    h.put("ReadonlyRootfs", s.readOnlyRootfs());
    List<String> securityOpt = new ArrayList<>();
    if (s.seccomp() == SeccompProfile.UNCONFINED) {
      securityOpt.add("seccomp=unconfined");
    }
    if (s.noNewPrivileges()) {
      securityOpt.add("no-new-privileges");
    }
    h.put("SecurityOpt", securityOpt);
    h.put("AutoRemove", o.autoRemove());
    b.put("HostConfig", h);
    if (n.mode() instanceof NetworkMode.UserDefined u && !n.aliases().isEmpty()) {
      b.put("NetworkingConfig", Map.of("EndpointsConfig",
          Map.of(u.name(), Map.of("Aliases", n.aliases()))));
    }
    return b;
  }

  /** Env, WorkingDir and User, as create and exec bodies both have them. */
  static void putProcess(Map<String, Object> body, Map<String, String> env, String workingDir,
      String user) {
    List<String> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(k + "=" + v));
    body.put("Env", vars);
    if (workingDir != null) {
      body.put("WorkingDir", workingDir);
    }
    if (user != null) {
      body.put("User", user);
    }
  }

  private static Map<String, Object> mount(Mount m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Type", m.type().name().toLowerCase(java.util.Locale.ROOT));
    if (m.source() != null) {
      out.put("Source", m.source());
    }
    out.put("Target", m.target());
    out.put("ReadOnly", m.readOnly());
    if (m.type() == Mount.Type.TMPFS) {
      Map<String, Object> t = new LinkedHashMap<>();
      if (m.sizeBytes() > 0) {
        t.put("SizeBytes", m.sizeBytes());
      }
      if (m.mode() != 0) {
        t.put("Mode", m.mode());
      }
      out.put("TmpfsOptions", t);
    }
    return out;
  }

  static String mode(NetworkMode mode) {
    if (mode instanceof NetworkMode.None) {
      return "none";
    }
    if (mode instanceof NetworkMode.Host) {
      return "host";
    }
    if (mode instanceof NetworkMode.JoinContainer j) {
      return "container:" + j.container();
    }
    if (mode instanceof NetworkMode.UserDefined u) {
      return u.name();
    }
    return "bridge";
  }
}
