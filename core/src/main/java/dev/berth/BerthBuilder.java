package dev.berth;

import dev.berth.internal.engine.EngineSettings;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.remote.BackendChoice;
import dev.berth.internal.remote.DockerEndpoints;
import dev.berth.internal.remote.RemoteEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Berth} engine ({@link Berth#builder()}). Nothing but the home, and a Docker host
 * to use instead ({@link #build()}), comes from the environment.
 */
public final class BerthBuilder {
  private Path home;
  private final List<String> mirrors = new ArrayList<>();
  private final List<String> insecure = new ArrayList<>();
  private Platform platform;
  private Path dockerConfig;
  private final Map<String, List<String>> credentials = new HashMap<>();
  private DockerEndpoints.Endpoint dockerHost;

  BerthBuilder() {}

  /**
   * Talks to an engine the user already runs, over the Docker Engine API, instead of running
   * containers in this JVM's kernel: Docker Desktop, podman machine or Colima on a Mac or
   * Windows, Docker or podman on another machine, or Berth's own API server. The public API
   * is the same; what such an engine cannot do (unpacking, saving, building, pushing here)
   * throws {@link UnsupportedEnvironmentException} saying so, and {@link Berth#info()} names
   * the engine. Published ports are on the engine's host: {@code localhost} for a
   * {@code unix://} socket, the URL's host for {@code tcp://}.
   *
   * <pre>{@code
   * Berth mac = Berth.builder().dockerHost("unix:///Users/me/.docker/run/docker.sock").build();
   * }</pre>
   *
   * @param dockerHost {@code unix:///path/to/docker.sock} or {@code tcp://host:2375}, as
   *     {@code DOCKER_HOST} takes it
   * @return this builder
   * @throws IllegalArgumentException when it is neither form, saying which are
   */
  public BerthBuilder dockerHost(String dockerHost) {
    return endpoint(new DockerEndpoints.Endpoint(
        Objects.requireNonNull(dockerHost, "dockerHost"), null));
  }

  /**
   * As {@link #dockerHost(String)}, over TLS with a client certificate, as {@code
   * DOCKER_HOST=tcp://… DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=certPath} for the docker CLI:
   * the engine's certificate must be signed by {@code certPath/ca.pem} (without that file:
   * by a CA the JVM trusts) and name the URL's host; {@code cert.pem} and {@code key.pem}
   * (PEM; the key PKCS#8 or RSA) are presented as the client certificate. A port-less URL
   * means 2376. (The environment's {@code DOCKER_TLS_VERIFY} applies to {@link
   * Berth#defaultEngine()}'s and a context's host, not to this one.)
   *
   * <pre>{@code
   * Berth b = Berth.builder()
   *     .dockerHost("tcp://build-box:2376", Path.of(System.getProperty("user.home"), ".docker"))
   *     .build();
   * }</pre>
   *
   * @param dockerHost {@code tcp://host:port}
   * @param certPath the directory with {@code ca.pem}, {@code cert.pem} and {@code key.pem}
   * @return this builder
   * @throws IllegalArgumentException when {@code dockerHost} is not a {@code tcp://} URL
   * @throws BerthException when a TLS file is missing or unreadable, or the key does not
   *     match the certificate, naming it
   */
  public BerthBuilder dockerHost(String dockerHost, Path certPath) {
    return endpoint(new DockerEndpoints.Endpoint(
        Objects.requireNonNull(dockerHost, "dockerHost"), new DockerEndpoints.Tls(
            Objects.requireNonNull(certPath, "certPath"), true, "Berth.builder().dockerHost")));
  }

  private BerthBuilder endpoint(DockerEndpoints.Endpoint endpoint) {
    RemoteEngine.checkHost(endpoint);
    this.dockerHost = endpoint;
    return this;
  }


  /**
   * Where images and containers are stored (default: BERTH_HOME or the per-user default).
   *
   * @param home the directory that holds the store
   * @return this builder
   */
  public BerthBuilder home(Path home) {
    this.home = Objects.requireNonNull(home);
    return this;
  }

  /**
   * Adds a docker.io mirror ({@code host:port} or a URL), tried before Docker Hub.
   *
   * @param mirror the mirror's {@code host:port} or URL
   * @return this builder
   */
  public BerthBuilder registryMirror(String mirror) {
    mirrors.add(Objects.requireNonNull(mirror));
    return this;
  }

  /**
   * Allows plain HTTP or an unverified certificate for {@code host:port}.
   *
   * @param hostPort the registry's {@code host:port}
   * @return this builder
   */
  public BerthBuilder insecureRegistry(String hostPort) {
    insecure.add(Objects.requireNonNull(hostPort));
    return this;
  }

  /**
   * The platform to pick from multi-platform images (default: this machine's).
   *
   * @param platform the platform, e.g. {@code Platform.parse("linux/arm64")}
   * @return this builder
   */
  public BerthBuilder platform(Platform platform) {
    this.platform = Objects.requireNonNull(platform);
    return this;
  }

  /**
   * A Docker {@code config.json} to read credentials from (default: Docker's lookup).
   *
   * @param configJson the path of a Docker {@code config.json}
   * @return this builder
   */
  public BerthBuilder dockerConfig(Path configJson) {
    this.dockerConfig = Objects.requireNonNull(configJson);
    return this;
  }

  /**
   * Credentials for one registry host, overriding any from config files.
   *
   * @param registry the registry host, e.g. {@code ghcr.io} or {@code localhost:5000}
   * @param username the user name
   * @param password the password or token
   * @return this builder
   */
  public BerthBuilder credentials(String registry, String username, String password) {
    credentials.put(Objects.requireNonNull(registry),
        List.of(Objects.requireNonNull(username), Objects.requireNonNull(password)));
    return this;
  }

  /**
   * @return a new engine: remote when {@link #dockerHost(String)} was given, when
   *     {@code berth.dockerHost} or {@code BERTH_DOCKER_HOST} names one, or when this host
   *     cannot run the local engine and the environment names a Docker Engine API (as for
   *     {@link Berth#defaultEngine()}); local otherwise
   * @throws UnsupportedEnvironmentException when this host cannot run Berth (not Linux, a CPU
   *     without a helper, no /proc) and no Docker host is known, saying what to do
   * @throws BerthException when the home cannot be created or written, or the Docker host
   *     does not answer (naming it)
   */
  public Berth build() {
    return new Berth(BackendChoice.choose(dockerHost, credentials, () -> {
      // Explicit: only the home falls back to the environment's default.
      Path h = home != null ? home
          : EngineSettings.fromEnvironment(System.getenv(), Linux.isRoot()).home();
      return new EngineSettings(h, mirrors, insecure,
          platform != null ? platform : Platform.current(), dockerConfig, credentials);
    }));
  }
}
