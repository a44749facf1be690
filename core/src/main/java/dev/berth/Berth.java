package dev.berth;

import dev.berth.internal.engine.Backend;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.engine.EngineSettings;
import dev.berth.internal.engine.LocalBackend;
import dev.berth.internal.remote.DockerEndpoints;
import dev.berth.internal.remote.RemoteEngine;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.runtime.HostSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An engine: one image store (BERTH_HOME), one registry configuration, the containers it runs.
 * The static facades {@link Image}, {@link Images} and {@link Containers} use
 * {@link #defaultEngine()}; apps and tests that want their own make one with {@link #builder()}.
 *
 * <pre>{@code
 * try (Berth berth = Berth.builder()
 *     .home(Path.of("/tmp/berth-test"))
 *     .registryMirror("127.0.0.1:5000")
 *     .build()) {
 *   Image node = berth.pull("node");
 *   try (Container c = node.run("node", "--version")) {
 *     c.waitFor();
 *   }
 * }
 * }</pre>
 *
 * <p>Several engines, in one JVM or many, may share a home: every write is atomic and locked.
 */
public final class Berth implements AutoCloseable {
  private static volatile Berth defaultEngine;

  private final Backend engine;

  private Berth(Backend engine) {
    this.engine = engine;
  }

  private static Berth local(EngineSettings settings) {
    return new Berth(new LocalBackend(Engine.open(settings)));
  }

  /**
   * The engine configured from the environment: {@code BERTH_HOME} (default
   * {@code /var/lib/berth} for root, {@code $XDG_DATA_HOME/berth} otherwise),
   * {@code BERTH_REGISTRY_MIRRORS} and {@code BERTH_INSECURE_REGISTRIES} (comma-separated).
   * Created on first use and kept for the life of the JVM. Where the local engine cannot work
   * (a Mac, Windows) and the environment names a Docker Engine API as the {@code docker} CLI
   * finds it ({@code DOCKER_HOST}, {@code DOCKER_CONTEXT} or {@code config.json}'s current
   * context, else {@code /var/run/docker.sock} when it exists), it is a remote engine talking to
   * that API instead (see {@link Builder#dockerHost(String)}).
   *
   * @return the shared engine, opened on the first call
   * @throws UnsupportedEnvironmentException when this host cannot run Berth (not Linux, a CPU
   *     without a helper, no /proc) and the environment names no Docker Engine API, saying what
   *     to do
   */
  public static Berth defaultEngine() {
    Berth b = defaultEngine;
    if (b == null) {
      DockerEndpoints.Endpoint remote = remoteFallback();
      synchronized (Berth.class) {
        b = defaultEngine;
        if (b == null) {
          b = remote != null ? new Berth(RemoteEngine.open(remote, Map.of()))
              : local(EngineSettings.fromEnvironment(System.getenv(), Linux.isRoot()));
          defaultEngine = b;
        }
      }
    }
    return b;
  }

  /**
   * @return the Docker host the environment names ({@code DOCKER_HOST}, a Docker context, the
   *     default socket: {@link DockerEndpoints}) when the local engine cannot work on this host;
   *     null when the local engine can (the environment is then not read)
   * @throws UnsupportedEnvironmentException when it cannot and none is named
   */
  private static DockerEndpoints.Endpoint remoteFallback() {
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

  /** @return a builder whose unset values come from the environment, as the default engine's */
  public static Builder builder() {
    return new Builder();
  }

  Backend backend() {
    return engine;
  }

  /** The local engine, for what only it does (builds). */
  Engine engine() {
    return engine.local().orElseThrow(() -> new UnsupportedEnvironmentException(
        "building images needs the local engine; this Berth talks to the remote engine "
            + engine.info().engine() + ": build there (docker build) and pull the result"));
  }

  /**
   * Pulls an image into the store, as {@code docker pull}: only missing layers are downloaded,
   * in parallel; an image already stored only has its manifest checked.
   *
   * @param reference e.g. {@code node}, {@code node:20}, {@code localhost:5000/app@sha256:…}
   * @return the pulled image
   * @throws ImageNotFoundException when the registry has no such repository or tag
   * @throws AuthenticationException when the registry refuses the credentials
   * @throws DigestMismatchException when content does not match its digest (nothing is kept)
   * @throws RegistryException when the registry cannot be reached or answers nonsense
   */
  public Image pull(String reference) {
    return pull(reference, PullListener.NONE);
  }

  /**
   * Pulls an image, publishing each step to {@code listener}.
   *
   * @param reference as {@link #pull(String)} takes it
   * @param listener hears each step of the pull (manifest, each layer's progress, retries)
   * @return the pulled image
   * @see #pull(String)
   */
  public Image pull(String reference, PullListener listener) {
    return new Image(this, reference, engine.pull(reference, null, listener));
  }

  /**
   * Pulls an image with credentials for this pull only, as {@code docker pull} after
   * {@code docker login}: {@code auth} is presented to the reference's registry in place of
   * any configured for it. The engine keeps nothing of them, and pulls running at the same time
   * with other credentials (or none) never see them or the tokens they bring.
   *
   * <pre>{@code
   * Image app = berth.pull("registry.example:5000/team/app:1.0",
   *     RegistryAuth.password("alice", password), PullListener.NONE);
   * }</pre>
   *
   * @param reference the image, as {@link #pull(String)} takes it
   * @param auth the credentials, or null for the engine's own
   * @param listener told of the pull's progress, or {@link PullListener#NONE}
   * @return the pulled image
   * @throws AuthenticationException when the registry refuses them, naming the registry and
   *     the repository
   * @see #pull(String)
   */
  public Image pull(String reference, RegistryAuth auth, PullListener listener) {
    return new Image(this, reference, engine.pull(reference, auth, listener));
  }

  /**
   * Checks credentials against a registry, as {@code docker login} does (Basic authentication
   * or the registry's token server, whichever it asks for), and keeps nothing: pass them to
   * {@link #pull(String, RegistryAuth, PullListener)} and {@link Image#push(String, RegistryAuth)},
   * or configure them with {@link Builder#credentials}. A registry that asks for no credentials
   * accepts any, as with Docker.
   *
   * @param registry {@code host[:port]} as in image references, or a URL as {@code docker login}
   *     takes it ({@code https://index.docker.io/v1/} is Docker Hub)
   * @param auth the credentials to check
   * @throws AuthenticationException when the registry refuses them: the message names the
   *     registry and the user
   * @throws RegistryException when the registry cannot be reached or answers nonsense
   */
  public void login(String registry, RegistryAuth auth) {
    engine.login(Objects.requireNonNull(registry, "registry"),
        Objects.requireNonNull(auth, "auth"));
  }

  /**
   * A stored image, by reference, id or id prefix: nothing is downloaded.
   *
   * @param reference a name ({@code node:20}), an image id or a unique id prefix
   * @return the stored image
   * @throws ImageNotFoundException when no stored image matches
   */
  public Image image(String reference) {
    return new Image(this, reference, engine.image(reference));
  }

  /** @return every stored image, as {@code docker images} lists them */
  public ImageList images() {
    return new ImageList(engine.images().stream().map(this::image).toList());
  }

  private Image image(dev.berth.internal.store.ImageRecord r) {
    return new Image(this, r.repoTags().isEmpty() ? r.id() : r.repoTags().get(0), r);
  }

  /**
   * Removes an image as {@code docker rmi} does: a name that is one of several only loses that
   * name; otherwise the image is deleted, with every layer and blob no other image or container
   * uses.
   *
   * @param reference a name ({@code node:20}), an id or an id prefix
   * @param force delete even when asked by id for an image with several names, or while
   *     containers use it (their layers are kept until the containers are removed)
   * @return what was untagged and what was deleted, with the bytes reclaimed
   * @throws ImageNotFoundException when no stored image matches
   * @throws BerthException without {@code force}, naming the container that uses the image, or
   *     the names of an image asked for by id
   */
  public ImageRemoval removeImage(String reference, boolean force) {
    return engine.removeImage(reference, force);
  }

  /**
   * Deletes untagged images that no container uses, and every layer and blob nothing uses, as
   * {@code docker image prune}. Safe while other JVMs pull into the same home.
   *
   * @return the images and blobs deleted, with the bytes reclaimed
   */
  public ImageRemoval pruneImages() {
    return engine.pruneImages();
  }

  /**
   * Stores the images of an archive, as {@code docker load}: a {@code docker save} tar, an
   * oci-archive tar or an OCI layout directory (told apart by content; gzip or zstd compressed
   * tars too). Layers are verified and imported as a pull would; names in the archive are given
   * to the images.
   *
   * @param archive a tar file (plain, gzip or zstd) or an OCI layout directory
   * @return the images loaded, in the archive's order
   * @throws BerthException naming the file when it is missing or not an image archive
   * @throws DigestMismatchException when content does not match its digest (nothing is kept)
   * @throws UnsafeArchiveException when a path or link in the archive leaves it
   */
  public List<Image> load(Path archive) {
    return engine.load(archive).stream().map(this::image).toList();
  }

  /**
   * Runs a container, pulling the image first when it is not stored, as {@code docker run}.
   *
   * @param image an image reference, as {@link #pull(String)} takes it
   * @param options what to run and how
   * @return the started container
   * @throws ImageNotFoundException when the image is neither stored nor in its registry
   * @throws ContainerStartException when the process cannot be started
   */
  public Container run(String image, RunOptions options) {
    return Container.of(engine.run(image, options));
  }

  /**
   * Creates a container without starting it, pulling the image first when it is not stored, as
   * {@code docker create}; {@link Container#start()} starts it, from this JVM or any other
   * sharing the home. Every option is kept with it and applies at each start; a
   * {@code removeWithJvm} container is tied to the JVM that starts it, so one never started
   * stays until it is removed.
   *
   * @param image an image reference, as {@link #pull(String)} takes it
   * @param options what to run and how
   * @return the container, in state {@link ContainerInfo.State#CREATED}
   * @throws BerthException when the name is taken or the options do not fit the image
   * @throws ImageNotFoundException when the image is neither stored nor in its registry
   */
  public Container create(String image, RunOptions options) {
    return Container.of(engine.create(image, options));
  }

  /**
   * @param all include containers that are not running ({@code ps -a})
   * @return the containers, newest first; {@code toString()} prints the {@code ps} table
   */
  public ContainerList containers(boolean all) {
    return new ContainerList(engine.containers(all));
  }

  /**
   * Finds a container by name, full id or unique id prefix.
   *
   * @param idOrName a container name, full id or unique id prefix
   * @return the container, running or not
   * @throws BerthException {@code No such container} when none matches
   */
  public Container container(String idOrName) {
    return Container.of(engine.container(idOrName));
  }

  /**
   * Removes every container that is not running, as {@code docker container prune}.
   *
   * @return the ids removed
   */
  public List<String> pruneContainers() {
    return engine.pruneContainers();
  }

  /**
   * Creates a user-defined network, as {@code docker network create}: a bridge with its own
   * subnet, names for its containers, outbound NAT. Needs root.
   *
   * @param name the network's name, unique on this engine
   * @return the new network, with its subnet, gateway and bridge
   * @throws BerthException when the name is taken
   * @throws UnsupportedEnvironmentException when not root
   */
  public NetworkInfo createNetwork(String name) {
    return createNetwork(name, java.util.Map.of());
  }

  /**
   * Creates a user-defined network with labels, as {@code docker network create --label k=v}:
   * the labels are kept with the network ({@link NetworkInfo#labels()}), across restarts.
   *
   * @param name the network's name
   * @param labels its labels
   * @return the new network
   * @throws BerthException when the name is taken
   * @throws IllegalArgumentException when the name is invalid
   * @throws UnsupportedEnvironmentException when not root
   */
  public NetworkInfo createNetwork(String name, java.util.Map<String, String> labels) {
    return engine.createNetwork(name, labels);
  }

  /** @return the user-defined networks ({@code docker network ls}); empty when not root */
  public List<NetworkInfo> networks() {
    return engine.networks();
  }

  /**
   * Removes a user-defined network ({@code docker network rm}).
   *
   * @param name the network's name
   * @param force remove it even while containers are attached (they lose it)
   * @throws BerthException when it does not exist, or has containers and not {@code force}
   */
  public void removeNetwork(String name, boolean force) {
    engine.removeNetwork(name, force);
  }

  /**
   * Creates a named volume, as {@code docker volume create}; an existing one is returned as is.
   *
   * @param name the volume's name
   * @return the volume, new or existing
   * @throws IllegalArgumentException when the name is not {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}
   */
  public VolumeInfo createVolume(String name) {
    Mount.checkVolumeName(name);
    return engine.createVolume(name);
  }

  /** @return every volume, named and anonymous, by name ({@code docker volume ls}) */
  public List<VolumeInfo> volumes() {
    return engine.volumes();
  }

  /**
   * Removes a volume and its files ({@code docker volume rm}).
   *
   * @param name the volume's name
   * @param force remove it even while a container (running or not) uses it
   * @throws BerthException when there is no such volume, or a container uses it (naming the
   *     container) and not {@code force}
   */
  public void removeVolume(String name, boolean force) {
    engine.removeVolume(name, force);
  }

  /**
   * Removes every volume no container uses, running or not ({@code docker volume prune -a}).
   *
   * @return the names removed
   */
  public List<String> pruneVolumes() {
    return engine.pruneVolumes();
  }

  /**
   * What this engine can do on this host, as {@code podman info}: whether it is rootless, how
   * container ids map to host ids, how root file systems are made, cgroups and resource limits,
   * network modes, paths, kernel.
   *
   * @return this engine's capabilities on this host
   */
  public HostInfo info() {
    return engine.info();
  }

  /**
   * @return the BERTH_HOME this engine uses
   * @throws UnsupportedEnvironmentException for a remote engine, whose images and containers
   *     are on the engine's host
   */
  public Path home() {
    return engine.home().orElseThrow(() -> new UnsupportedEnvironmentException(
        "a remote engine has no BERTH_HOME: its images and containers are kept by "
            + engine.info().engine()));
  }

  /** Releases this engine's threads and staging area; running containers keep running. */
  @Override
  public void close() {
    if (this != defaultEngine) {
      engine.close();
    }
  }

  @Override
  public String toString() {
    return engine.home().map(h -> "Berth{home=" + h + "}")
        .orElseGet(() -> "Berth{" + engine.info().engine() + "}");
  }

  /** Builds a {@link Berth} engine. Nothing but the home comes from the environment. */
  public static final class Builder {
    private Path home;
    private final List<String> mirrors = new ArrayList<>();
    private final List<String> insecure = new ArrayList<>();
    private Platform platform;
    private Path dockerConfig;
    private final Map<String, List<String>> credentials = new HashMap<>();
    private DockerEndpoints.Endpoint dockerHost;

    private Builder() {}

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
    public Builder dockerHost(String dockerHost) {
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
     * #defaultEngine()}'s and a context's host, not to this one.)
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
    public Builder dockerHost(String dockerHost, Path certPath) {
      return endpoint(new DockerEndpoints.Endpoint(
          Objects.requireNonNull(dockerHost, "dockerHost"), new DockerEndpoints.Tls(
              Objects.requireNonNull(certPath, "certPath"), true, "Berth.builder().dockerHost")));
    }

    private Builder endpoint(DockerEndpoints.Endpoint endpoint) {
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
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home);
      return this;
    }

    /**
     * Adds a docker.io mirror ({@code host:port} or a URL), tried before Docker Hub.
     *
     * @param mirror the mirror's {@code host:port} or URL
     * @return this builder
     */
    public Builder registryMirror(String mirror) {
      mirrors.add(Objects.requireNonNull(mirror));
      return this;
    }

    /**
     * Allows plain HTTP or an unverified certificate for {@code host:port}.
     *
     * @param hostPort the registry's {@code host:port}
     * @return this builder
     */
    public Builder insecureRegistry(String hostPort) {
      insecure.add(Objects.requireNonNull(hostPort));
      return this;
    }

    /**
     * The platform to pick from multi-platform images (default: this machine's).
     *
     * @param platform the platform, e.g. {@code Platform.parse("linux/arm64")}
     * @return this builder
     */
    public Builder platform(Platform platform) {
      this.platform = Objects.requireNonNull(platform);
      return this;
    }

    /**
     * A Docker {@code config.json} to read credentials from (default: Docker's lookup).
     *
     * @param configJson the path of a Docker {@code config.json}
     * @return this builder
     */
    public Builder dockerConfig(Path configJson) {
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
    public Builder credentials(String registry, String username, String password) {
      credentials.put(Objects.requireNonNull(registry),
          List.of(Objects.requireNonNull(username), Objects.requireNonNull(password)));
      return this;
    }

    /**
     * @return a new engine: remote when {@link #dockerHost(String)} was given, or when this
     *     host cannot run the local engine and the environment names a Docker Engine API (as
     *     for {@link #defaultEngine()}); local otherwise
     * @throws UnsupportedEnvironmentException when this host cannot run Berth (not Linux, a CPU
     *     without a helper, no /proc) and no Docker host is known, saying what to do
     * @throws BerthException when the home cannot be created or written, or the Docker host
     *     does not answer (naming it)
     */
    public Berth build() {
      DockerEndpoints.Endpoint remote = dockerHost != null ? dockerHost : remoteFallback();
      if (remote != null) {
        return new Berth(RemoteEngine.open(remote, credentials));
      }
      // Explicit: only the home falls back to the environment's default.
      Path h = home != null ? home
          : EngineSettings.fromEnvironment(System.getenv(), Linux.isRoot()).home();
      return local(new EngineSettings(h, mirrors, insecure,
          platform != null ? platform : Platform.current(), dockerConfig, credentials));
    }
  }
}
