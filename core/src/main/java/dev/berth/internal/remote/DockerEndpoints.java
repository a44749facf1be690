package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which Docker Engine API the environment points at, as the {@code docker} CLI decides it:
 * {@code DOCKER_HOST}; else the context named by {@code DOCKER_CONTEXT} or by {@code
 * currentContext} in {@code config.json} (under {@code DOCKER_CONFIG}, default {@code
 * ~/.docker}), read from {@code contexts/meta/<sha256 of the name>/meta.json}, which
 * {@code docker context create} writes and Docker Desktop, Colima and podman machine set up;
 * else the default socket {@code /var/run/docker.sock} when it exists.
 *
 * <p>TLS as the docker CLI has it: with {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} (TLS,
 * the engine's certificate verified against {@code ca.pem} and its host name) or {@code
 * DOCKER_TLS} (TLS, not verified), the files in {@code DOCKER_CERT_PATH} (default: the config
 * directory); a context's own TLS files ({@code contexts/tls/<hash>/docker}) and its {@code
 * SkipTLSVerify}.
 */
public final class DockerEndpoints {
  /** Where the docker CLI looks when nothing else is said. */
  static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  private DockerEndpoints() {}

  /**
   * TLS files of a Docker host.
   *
   * @param dir the directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem}
   * @param verify true to verify the engine's certificate and host name
   * @param from where this was configured, for messages
   */
  public record Tls(Path dir, boolean verify, String from) {}

  /**
   * A Docker host and how to reach it.
   *
   * @param host {@code unix:///…} or {@code tcp://…}
   * @param tls its TLS, or null for none
   */
  public record Endpoint(String host, Tls tls) {}

  /** @return {@link #resolve(Map, Path)} of this process's environment and the default socket */
  public static Endpoint fromEnvironment() {
    return resolve(System.getenv(), DEFAULT_SOCKET);
  }

  /**
   * A socket, not a directory: a bind mount of a missing {@code /var/run/docker.sock} makes one
   * there (Docker's and podman's {@code Binds} create a missing source as a directory).
   */
  private static boolean isSocket(Path p) {
    try {
      return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).isOther();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * @param env the environment ({@code System.getenv()})
   * @param defaultSocket the socket to use when nothing is configured, if it exists
   * @return the Docker host ({@code unix:///…} or {@code tcp://…}) with its TLS, or null when
   *     none is configured and the default socket does not exist
   * @throws BerthException when a context is named that does not exist or cannot be used,
   *     naming it and what to do
   */
  public static Endpoint resolve(Map<String, String> env, Path defaultSocket) {
    Path config = configDir(env);
    String host = env.get("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return new Endpoint(host, envTls(env, config, host));
    }
    String context = env.get("DOCKER_CONTEXT");
    String from = "DOCKER_CONTEXT";
    if (context == null || context.isBlank()) {
      context = currentContext(config);
      from = config.resolve("config.json") + " (currentContext)";
    }
    if (context != null && !context.isBlank() && !context.equals("default")) {
      return contextHost(config, context, from);
    }
    return isSocket(defaultSocket) ? new Endpoint("unix://" + defaultSocket, null) : null;
  }

  /** As the docker CLI: DOCKER_TLS_VERIFY implies TLS; either applies to a tcp:// host. */
  private static Tls envTls(Map<String, String> env, Path config, String host) {
    boolean verify = set(env, "DOCKER_TLS_VERIFY");
    if (!(verify || set(env, "DOCKER_TLS")) || host.startsWith("unix://")) {
      return null;
    }
    String certPath = env.get("DOCKER_CERT_PATH");
    boolean given = certPath != null && !certPath.isBlank();
    return new Tls(given ? Path.of(certPath) : config, verify,
        (verify ? "DOCKER_TLS_VERIFY" : "DOCKER_TLS") + (given ? " and DOCKER_CERT_PATH"
            : ", no DOCKER_CERT_PATH: the config directory"));
  }

  private static boolean set(Map<String, String> env, String name) {
    String v = env.get(name);
    return v != null && !v.isEmpty();
  }

  /** @return the context's docker endpoint */
  private static Endpoint contextHost(Path config, String name, String from) {
    String hash = Hashes.sha256(name).hex();
    Path meta = config.resolve("contexts").resolve("meta").resolve(hash).resolve("meta.json");
    if (!Files.isRegularFile(meta)) {
      throw new BerthException("the Docker context " + name + " named by " + from
          + " does not exist (no " + meta + "); list the contexts with `docker context ls`");
    }
    JsonNode endpoint;
    try {
      endpoint = Json.MAPPER.readTree(meta.toFile()).path("Endpoints").path("docker");
    } catch (IOException e) {
      throw new BerthException("cannot read the Docker context " + name + " from " + meta + ": "
          + e.getMessage() + "; recreate it with `docker context create`", e);
    }
    String host = endpoint.path("Host").asText("");
    if (host.isEmpty()) {
      throw new BerthException("the Docker context " + name + " (" + meta
          + ") has no docker endpoint Host; recreate it with `docker context create " + name
          + " --docker host=…`");
    }
    Path tls = config.resolve("contexts").resolve("tls").resolve(hash).resolve("docker");
    boolean skipVerify = endpoint.path("SkipTLSVerify").asBoolean(false);
    if (Files.isDirectory(tls) || skipVerify) {
      return new Endpoint(host, new Tls(tls, !skipVerify, "the Docker context " + name));
    }
    return new Endpoint(host, null);
  }

  private static String currentContext(Path config) {
    Path file = config.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(file.toFile()).path("currentContext").asText(null);
    } catch (IOException e) {
      throw new BerthException("cannot read " + file + ": " + e.getMessage()
          + "; fix its JSON or set DOCKER_HOST", e);
    }
  }

  private static Path configDir(Map<String, String> env) {
    String dir = env.get("DOCKER_CONFIG");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    return Path.of(System.getProperty("user.home"), ".docker");
  }
}
