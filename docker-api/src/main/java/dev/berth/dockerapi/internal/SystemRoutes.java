package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.HostInfo;
import java.util.Map;

/** {@code _ping}, {@code version} and {@code info}: what clients ask first. */
final class SystemRoutes {
  /** The Docker release that speaks API {@value Router#MAX_VERSION}. */
  static final String DOCKER_VERSION = "27.3.0";

  private final Berth berth;

  SystemRoutes(Berth berth) {
    this.berth = berth;
  }

  void register(Router r) {
    r.on("GET", "/_ping", (ex, m) -> ping(ex, false));
    r.on("HEAD", "/_ping", (ex, m) -> ping(ex, true));
    r.on("GET", "/version", (ex, m) -> ex.json(200, version()));
    r.on("GET", "/info", (ex, m) -> ex.json(200, info()));
    r.on("POST", "/auth", (ex, m) -> login(ex));
  }

  /**
   * {@code docker login}: checks the credentials with the registry and keeps nothing; the client
   * stores them and sends them with each pull and push ({@code X-Registry-Auth}). Refused ones
   * are a 401 with the registry's refusal, which the CLI prints.
   */
  private void login(Exchange ex) {
    com.fasterxml.jackson.databind.JsonNode body = ex.jsonBody();
    dev.berth.RegistryAuth auth = RegistryAuths.body(body).orElseThrow(() ->
        ApiException.badRequest("a login needs a username and password (or a registrytoken)"));
    String server = body.path("serveraddress").asText("");
    berth.login(server.isBlank() ? "docker.io" : server, auth);
    ex.json(200, Json.object().put("Status", "Login Succeeded").put("IdentityToken", ""));
  }

  private static void ping(Exchange ex, boolean head) {
    Map<String, String> headers = Map.of("Builder-Version", "1",
        "Cache-Control", "no-cache, no-store, must-revalidate", "Pragma", "no-cache");
    if (head) {
      ex.headersOnly(200, headers);
    } else {
      ex.text(200, "OK");
    }
  }

  private ObjectNode version() {
    ObjectNode v = Json.object();
    v.set("Platform", Json.object().put("Name", "Berth"));
    // Clients compare Version with Docker releases (Testcontainers wants >= 1.6.0): the Docker
    // release of the API spoken here; Berth's own version is the Berth component's.
    v.put("Version", DOCKER_VERSION);
    v.put("ApiVersion", Router.MAX_VERSION);
    v.put("MinAPIVersion", Router.MIN_VERSION);
    v.put("GitCommit", "");
    v.put("GoVersion", "java" + Runtime.version().feature());
    v.put("Os", "linux");
    v.put("Arch", arch());
    v.put("KernelVersion", berth.info().kernelVersion());
    v.put("BuildTime", "");
    ObjectNode engine = Json.object().put("Name", "Engine");
    engine.put("Version", DOCKER_VERSION);
    engine.set("Details", Json.object().put("ApiVersion", Router.MAX_VERSION)
        .put("MinAPIVersion", Router.MIN_VERSION).put("Os", "linux").put("Arch", arch()));
    v.set("Components", Json.array().add(engine)
        .add(Json.object().put("Name", "Berth").put("Version", Router.berthVersion())));
    return v;
  }

  static String arch() {
    String a = System.getProperty("os.arch");
    return a.equals("aarch64") ? "arm64" : a.equals("x86_64") ? "amd64" : a;
  }

  private ObjectNode info() {
    HostInfo host = berth.info();
    var containers = berth.containers(true);
    long running = containers.stream().filter(c -> c.state() == dev.berth.ContainerInfo.State.RUNNING).count();
    long paused = containers.stream().filter(c -> c.state() == dev.berth.ContainerInfo.State.PAUSED).count();
    ObjectNode i = Json.object();
    i.put("ID", "berth");
    i.put("Containers", containers.size());
    i.put("ContainersRunning", running);
    i.put("ContainersPaused", paused);
    i.put("ContainersStopped", containers.size() - running - paused);
    i.put("Images", berth.images().size());
    i.put("Driver", "overlay");
    i.set("DriverStatus", Json.array().add(Json.array().add("Rootfs").add(host.rootfs().name())));
    i.put("MemoryLimit", host.resourceLimitsPossible());
    i.put("SwapLimit", host.resourceLimitsPossible());
    i.put("CpuCfsPeriod", host.resourceLimitsPossible());
    i.put("CpuCfsQuota", host.resourceLimitsPossible());
    i.put("PidsLimit", host.resourceLimitsPossible());
    i.put("OomKillDisable", false);
    i.put("IPv4Forwarding", true);
    i.put("Debug", false);
    i.put("NFd", 0);
    i.put("NGoroutines", Thread.activeCount());
    i.put("SystemTime", java.time.Instant.now().toString());
    i.put("LoggingDriver", "json-file");
    i.put("CgroupDriver", "cgroupfs");
    i.put("CgroupVersion", host.cgroupVersion());
    i.put("KernelVersion", host.kernelVersion());
    i.put("OperatingSystem", "Berth (in the JVM)");
    i.put("OSVersion", "");
    i.put("OSType", "linux");
    i.put("Architecture", System.getProperty("os.arch"));
    i.put("NCPU", Runtime.getRuntime().availableProcessors());
    i.put("MemTotal", memTotal());
    i.put("IndexServerAddress", "https://index.docker.io/v1/");
    i.put("DockerRootDir", host.storePath().toString());
    i.put("Name", hostname());
    i.set("Labels", Json.array());
    i.put("ExperimentalBuild", false);
    i.put("ServerVersion", DOCKER_VERSION);
    i.set("Plugins", Json.object().set("Volume", Json.array().add("local")));
    ((ObjectNode) i.get("Plugins")).set("Network", Json.array().add("bridge").add("host").add("none"));
    ((ObjectNode) i.get("Plugins")).set("Log", Json.array().add("json-file"));
    i.set("RegistryConfig", Json.object().set("IndexConfigs", Json.object()));
    i.set("SecurityOptions", Json.array().add(host.rootless() ? "name=rootless" : "name=seccomp,profile=builtin"));
    i.put("Runtimes", "").set("Runtimes", Json.object().set("berth", Json.object().put("path", host.helperPath().toString())));
    i.put("DefaultRuntime", "berth");
    i.put("LiveRestoreEnabled", true);
    i.put("Isolation", "");
    i.put("InitBinary", "");
    i.set("Warnings", host.cgroupProblem() == null ? Json.array() : Json.array().add(host.cgroupProblem()));
    return i;
  }

  /** @return the machine's memory in bytes, or 0 when /proc/meminfo cannot be read */
  static long memTotal() {
    try {
      for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException ignored) {
      // unknown: 0, as Docker reports what it cannot read
    }
    return 0;
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
