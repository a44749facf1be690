package dev.berth.internal.remote;

import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.engine.Backend;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.engine.EngineSettings;
import dev.berth.internal.engine.LocalBackend;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.runtime.HostSupport;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which engine a {@code Berth} talks to: the local one in this JVM's kernel, or a remote one over
 * the Docker Engine API, when the user names a Docker host or this host cannot run the local
 * engine and the environment names one.
 */
public final class BackendChoice {
  /** Names a Docker host every engine built without one talks to ({@code BERTH_DOCKER_HOST}). */
  private static final String DOCKER_HOST_PROPERTY = "berth.dockerHost";

  private BackendChoice() {}

  /** The default engine's: everything from the environment. */
  public static Backend fromEnvironment() {
    return choose(null, Map.of(),
        () -> EngineSettings.fromEnvironment(System.getenv(), Linux.isRoot()));
  }

  /**
   * A builder's: remote when {@code dockerHost} is given or the local engine cannot work here
   * and the environment names a Docker host; else local with {@code local}'s settings (only
   * read then).
   */
  public static Backend choose(DockerEndpoints.Endpoint dockerHost,
      Map<String, List<String>> credentials, Supplier<EngineSettings> local) {
    DockerEndpoints.Endpoint remote = dockerHost != null ? dockerHost : remoteFallback();
    if (remote != null) {
      return RemoteEngine.open(remote, credentials);
    }
    return new LocalBackend(Engine.open(local.get()));
  }

  /**
   * @return {@code berth.dockerHost} or {@code BERTH_DOCKER_HOST} when set (on any host); else
   *     the Docker host the environment names ({@code DOCKER_HOST}, a Docker context, the
   *     default socket: {@link DockerEndpoints}) when the local engine cannot work on this host;
   *     null when the local engine can (the environment is then not read)
   * @throws UnsupportedEnvironmentException when it cannot and none is named
   * @throws IllegalArgumentException when {@code berth.dockerHost} or {@code BERTH_DOCKER_HOST}
   *     is not a Docker host
   */
  private static DockerEndpoints.Endpoint remoteFallback() {
    String from = "system property " + DOCKER_HOST_PROPERTY;
    String forced = System.getProperty(DOCKER_HOST_PROPERTY);
    if (forced == null || forced.isBlank()) {
      from = "BERTH_DOCKER_HOST";
      forced = System.getenv(from);
    }
    if (forced != null && !forced.isBlank()) {
      DockerEndpoints.Endpoint endpoint = new DockerEndpoints.Endpoint(forced, null);
      try {
        RemoteEngine.checkHost(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(from + ": " + e.getMessage(), e);
      }
      return endpoint;
    }
    try {
      HostSupport.check(); // before anything loads JNA or extracts the helper
      return null;
    } catch (UnsupportedEnvironmentException e) {
      DockerEndpoints.Endpoint dockerHost = DockerEndpoints.fromEnvironment();
      if (dockerHost == null) {
        throw new UnsupportedEnvironmentException(e.getMessage() + " Or, to use a Docker Engine"
            + " API you already run (Docker Desktop, podman machine, Colima, a Linux machine) as a"
            + " remote engine, set DOCKER_HOST (or Berth.builder().dockerHost(…)) or a Docker"
            + " context.");
      }
      return dockerHost;
    }
  }
}
