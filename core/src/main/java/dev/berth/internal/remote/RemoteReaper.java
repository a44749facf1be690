package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.NotFoundException;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The remote engine's reaper: Berth's helper, run on the engine as a container of its own
 * ({@code berth-helper reap}, core/src/main/c/reap.c) with the engine's socket mounted. This JVM
 * connects to it, tells it the label of its {@code removeWithJvm} containers and keeps the
 * connection open; when the JVM is gone however it ended (SIGKILL included), the connection
 * closes and, after a grace period, the reaper removes those containers.
 *
 * <p>Its image is made here: one layer with the helper for the engine's CPU, loaded through
 * {@code POST /images/load} (nothing is pulled). System properties (or environment variables):
 * {@code berth.remote.reaper} ({@code BERTH_REMOTE_REAPER}) {@code false} turns it off;
 * {@code berth.remote.reaper.socket} ({@code BERTH_REMOTE_REAPER_SOCKET}) is the engine's socket
 * on the engine's host (default: the unix socket of {@code DOCKER_HOST}, else
 * /var/run/docker.sock); {@code berth.remote.reaper.grace} ({@code BERTH_REMOTE_REAPER_GRACE})
 * the seconds it waits for a reconnection (default 10).
 */
final class RemoteReaper {
  /** The label marking the containers the reaper removes; its value is the session id. */
  static final String REAP = "dev.berth.reap";
  private static final int PORT = 8080;
  private static final System.Logger LOG = System.getLogger(RemoteReaper.class.getName());

  /** The reapers' connections, open for the JVM's life (closing one starts its reaping). */
  private static final List<Socket> KEPT = new java.util.concurrent.CopyOnWriteArrayList<>();

  private RemoteReaper(Socket connection) {
    KEPT.add(connection);
  }

  /** @return whether the reaper is on (the default) */
  static boolean enabled() {
    return !"false".equalsIgnoreCase(setting("berth.remote.reaper", "BERTH_REMOTE_REAPER", "true"));
  }

  /**
   * Starts the reaper and hands it this session's label; on failure, a warning saying why (the
   * shutdown hook still removes the containers when the JVM ends normally).
   *
   * @return the running reaper, or null when it could not start
   */
  static RemoteReaper startOrWarn(DockerHttp http, JsonNode version, String sessionLabel,
      String session) {
    try {
      return start(http, version, sessionLabel, session);
    } catch (RuntimeException | IOException e) {
      LOG.log(System.Logger.Level.WARNING, "Berth could not start its reaper on the Docker engine "
          + http.host().url() + " (" + e.getMessage() + "): containers made with removeWithJvm"
          + " are removed by a shutdown hook only, so a JVM killed with SIGKILL leaves them"
          + " (label " + REAP + "=" + session + "). Set berth.remote.reaper=false to silence this.");
      return null;
    }
  }

  private static RemoteReaper start(DockerHttp http, JsonNode version, String sessionLabel,
      String session) throws IOException {
    String arch = version.path("Arch").asText("amd64");
    byte[] helper = HelperBinary.bytesFor("the Docker engine's CPU " + arch, arch);
    String image = "localhost/berth-reaper:" + Hashes.sha256Hex(helper).substring(0, 16);
    try {
      http.json("GET", "/images/" + RemoteContainer.q(image) + "/json", null);
    } catch (NotFoundException absent) {
      http.send("POST", "/images/load?quiet=1", Map.of(), imageArchive(helper, arch, image))
          .close();
    }
    String grace = setting("berth.remote.reaper.grace", "BERTH_REMOTE_REAPER_GRACE", "10");
    if (!grace.matches("[0-9]{1,6}")) {
      throw new IllegalArgumentException("berth.remote.reaper.grace (BERTH_REMOTE_REAPER_GRACE)"
          + " is a whole number of seconds, not '" + grace + "'");
    }
    String socket = setting("berth.remote.reaper.socket", "BERTH_REMOTE_REAPER_SOCKET", null);
    if (socket == null) {
      socket = engineSocket(http, version);
    }
    Map<String, Object> host = new LinkedHashMap<>();
    host.put("AutoRemove", true);
    // Mounts, not Binds: a socket that is not there fails the start (a warning) instead of
    // the engine making a directory of that name on its host
    host.put("Mounts", List.of(Map.of("Type", "bind", "Source", socket,
        "Target", "/var/run/docker.sock")));
    host.put("PortBindings", Map.of(PORT + "/tcp", List.of(Map.of("HostPort", ""))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Image", image);
    body.put("Cmd", List.of("--port", Integer.toString(PORT), "--grace", grace));
    body.put("Labels", Map.of(sessionLabel, session));
    body.put("ExposedPorts", Map.of(PORT + "/tcp", Map.of()));
    body.put("HostConfig", host);
    String id = http.json("POST", "/containers/create", body).path("Id").asText();
    http.send("POST", "/containers/" + id + "/start", Map.of(), null).close();
    JsonNode ports = http.container(id)
        .path("NetworkSettings").path("Ports").path(PORT + "/tcp");
    int hostPort = ports.path(0).path("HostPort").asInt(0);
    if (hostPort == 0) {
      throw new BerthException("the reaper container " + id + " has no published port");
    }
    return new RemoteReaper(connect(http.host().publishedHost(), hostPort,
        "label=" + REAP + "=" + session));
  }

  /**
   * The engine's socket on its own host, to mount into the reaper: podman says where it listens
   * ({@code /libpod/info}'s {@code host.remoteSocket}); a unix socket of this Linux machine is
   * the engine's own; else Docker's {@code /var/run/docker.sock} (a Linux box, the VM of Docker
   * Desktop or Colima).
   *
   * @throws BerthException when podman says its socket does not exist: mounting it would make
   *     a directory of that name
   */
  private static String engineSocket(DockerHttp http, JsonNode version) {
    if (RemoteInfo.product(version).startsWith("Podman")) {
      JsonNode remote = http.json("GET", "/v4.0.0/libpod/info", null).path("host")
          .path("remoteSocket");
      if (!remote.path("exists").asBoolean(false)) {
        throw new BerthException("podman names no socket of its own ("
            + remote.path("path").asText("none") + " does not exist); set"
            + " berth.remote.reaper.socket to the path of the socket podman serves on its host");
      }
      return remote.path("path").asText().replaceFirst("^unix://", "");
    }
    boolean linux = System.getProperty("os.name").startsWith("Linux");
    return http.host().socket() != null && linux ? http.host().socket().toString()
        : "/var/run/docker.sock";
  }

  /** Connects (the reaper may still be starting) and waits for its ACK of the filter. */
  private static Socket connect(String host, int port, String filter) throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    IOException last = null;
    while (System.nanoTime() < deadline) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), 2000);
        s.setSoTimeout(5000);
        s.getOutputStream().write((filter + "\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        byte[] ack = in.readNBytes(4);
        if (new String(ack, StandardCharsets.US_ASCII).equals("ACK\n")) {
          s.setSoTimeout(0);
          return s;
        }
        last = new IOException("the reaper at " + host + ":" + port + " answered "
            + new String(ack, StandardCharsets.US_ASCII).trim() + " instead of ACK");
      } catch (IOException e) {
        last = e; // a relay that accepts before the reaper listens closes at once: retry
      }
      s.close();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IOException("no answer from the reaper at " + host + ":" + port
        + (last == null ? "" : ": " + last.getMessage()));
  }

  /** A docker-archive (docker save) tar of one image: the helper, entrypoint "reap". */
  static byte[] imageArchive(byte[] helper, String arch, String tag) throws IOException {
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(layer)) {
      TarArchiveEntry e = new TarArchiveEntry("berth-helper");
      e.setMode(0755);
      e.setSize(helper.length);
      t.putArchiveEntry(e);
      t.write(helper);
      t.closeArchiveEntry();
    }
    String layerSha = Hashes.sha256Hex(layer.toByteArray());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", arch);
    config.put("os", "linux");
    config.put("config", Map.of("Entrypoint", List.of("/berth-helper", "reap"),
        "Labels", Map.of("dev.berth.reaper", "true")));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of("sha256:" + layerSha)));
    byte[] configBytes = Json.MAPPER.writeValueAsBytes(config);
    String configName = Hashes.sha256Hex(configBytes) + ".json";
    byte[] manifest = Json.MAPPER.writeValueAsBytes(List.of(Map.of("Config", configName,
        "RepoTags", List.of(tag), "Layers", List.of(layerSha + "/layer.tar"))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      add(t, layerSha + "/layer.tar", layer.toByteArray());
      add(t, configName, configBytes);
      add(t, "manifest.json", manifest);
    }
    return out.toByteArray();
  }

  private static void add(TarArchiveOutputStream t, String name, byte[] content)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(0644);
    e.setSize(content.length);
    t.putArchiveEntry(e);
    t.write(content);
    t.closeArchiveEntry();
  }

  private static String setting(String property, String env, String fallback) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? fallback : v;
  }
}
