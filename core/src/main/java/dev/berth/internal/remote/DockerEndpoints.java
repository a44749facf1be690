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
 */
public final class DockerEndpoints {
  /** Where the docker CLI looks when nothing else is said. */
  static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  private DockerEndpoints() {}

  /** @return {@link #resolve(Map, Path)} of this process's environment and the default socket */
  public static String fromEnvironment() {
    return resolve(System.getenv(), DEFAULT_SOCKET);
  }

  /**
   * @param env the environment ({@code System.getenv()})
   * @param defaultSocket the socket to use when nothing is configured, if it exists
   * @return the Docker host ({@code unix:///…} or {@code tcp://…}), or null when none is
   *     configured and the default socket does not exist
   * @throws BerthException when a context is named that does not exist or cannot be used,
   *     naming it and what to do
   */
  public static String resolve(Map<String, String> env, Path defaultSocket) {
    String host = env.get("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return host;
    }
    Path config = configDir(env);
    String context = env.get("DOCKER_CONTEXT");
    String from = "DOCKER_CONTEXT";
    if (context == null || context.isBlank()) {
      context = currentContext(config);
      from = config.resolve("config.json") + " (currentContext)";
    }
    if (context != null && !context.isBlank() && !context.equals("default")) {
      return contextHost(config, context, from);
    }
    return Files.exists(defaultSocket) ? "unix://" + defaultSocket : null;
  }

  /** @return the context's docker endpoint */
  private static String contextHost(Path config, String name, String from) {
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
    if (Files.isDirectory(tls) && !endpoint.path("SkipTLSVerify").asBoolean(false)) {
      throw new BerthException("the Docker context " + name + " uses TLS client certificates ("
          + tls + "), which Berth's remote engine does not support yet; use a context or"
          + " DOCKER_HOST without TLS (a unix socket, or tcp:// on a trusted network)");
    }
    return host;
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
