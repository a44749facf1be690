package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.Digest;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.NetworkInfo;
import dev.berth.NotFoundException;
import dev.berth.PullListener;
import dev.berth.RegistryAuth;
import dev.berth.RunOptions;
import dev.berth.SaveFormat;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.VolumeInfo;
import dev.berth.internal.engine.Backend;
import dev.berth.internal.engine.ContainerBackend;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.store.ImageRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An engine the user already runs, driven over the Docker Engine API: the public API's images
 * and containers are that engine's. Containers it makes carry the label {@value #SESSION} with
 * this JVM's session id; those made with {@code removeWithJvm} are removed by a shutdown hook
 * and, when the JVM is killed, by {@link RemoteReaper} (and by Berth's API server itself, which
 * {@link SessionHold} tells).
 */
public final class RemoteEngine implements Backend {
  /** The label naming the JVM session that made a container. */
  public static final String SESSION = "dev.berth.session";
  private static final String SESSION_ID = UUID.randomUUID().toString();

  /** What no Docker Engine API offers the way the local engine does it, and why. */
  private static final Map<String, String> UNSUPPORTED = RemoteInfo.UNSUPPORTED;

  private final DockerHttp http;
  private final RemoteImages images;
  private final RemoteNetworks networks;
  private final ExecutorService threads;
  private final Set<String> removeWithJvm = ConcurrentHashMap.newKeySet();
  private final SessionHold sessionHold;
  private final Thread hook;
  private final JsonNode version;
  private boolean reaperTried;

  private RemoteEngine(DockerHost host, Map<String, List<String>> credentials) {
    this.http = new DockerHttp(host);
    this.sessionHold = new SessionHold(http, SESSION_ID);
    this.images = new RemoteImages(http, credentials);
    this.networks = new RemoteNetworks(http);
    this.version = http.json("GET", "/version", null); // fails now, naming the host, if down
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "berth-remote-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.hook = new Thread(this::removeOwned, "berth-remote-remove-with-jvm");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * @param endpoint {@code unix://…}, {@code tcp://…} (with its TLS) or {@code ssh://…}
   * @param credentials registry host to user and password, sent with pulls (for others the
   *     engine's own credentials apply)
   * @throws IllegalArgumentException when the host is neither form
   * @throws BerthException when the engine does not answer, or a TLS file is wrong, naming it
   *     and what to do
   */
  public static RemoteEngine open(DockerEndpoints.Endpoint endpoint,
      Map<String, List<String>> credentials) {
    return new RemoteEngine(DockerHost.parse(endpoint.host(), endpoint.tls()), credentials);
  }

  /**
   * @throws IllegalArgumentException when the host is neither form
   * @throws BerthException when a TLS file is missing or wrong, naming it
   */
  public static void checkHost(DockerEndpoints.Endpoint endpoint) {
    DockerHost.parse(endpoint.host(), endpoint.tls());
  }

  DockerHttp http() {
    return http;
  }

  RemoteNetworks networking() {
    return networks;
  }

  ExecutorService threads() {
    return threads;
  }

  void forget(String id) {
    removeWithJvm.remove(id);
  }

  UnsupportedEnvironmentException unsupported(String what, String why) {
    return new UnsupportedEnvironmentException(what + " is not possible through the remote engine "
        + http.host().url() + ": " + why);
  }

  // ---- images: RemoteImages ----------------------------------------------------------------

  @Override
  public ImageRecord pull(String reference, RegistryAuth auth, PullListener listener) {
    return images.pull(reference, auth, listener);
  }

  @Override
  public void login(String registry, RegistryAuth auth) {
    throw unsupported("login", UNSUPPORTED.get("login"));
  }

  @Override
  public ImageRecord image(String query) {
    return images.image(query);
  }

  @Override
  public List<ImageRecord> images() {
    return images.images();
  }

  @Override
  public ImageInfo inspect(ImageRecord image) {
    return images.inspect(image);
  }

  @Override
  public ImageRecord tag(ImageRecord image, String reference) {
    return images.tag(image, reference);
  }

  @Override
  public ImageRemoval removeImage(String query, boolean force) {
    return images.removeImage(query, force);
  }

  @Override
  public ImageRemoval pruneImages() {
    return images.pruneImages();
  }

  @Override
  public void unpack(ImageRecord image, Path dir) {
    throw unsupported("unpackTo", UNSUPPORTED.get("unpackTo"));
  }

  @Override
  public void save(ImageRecord image, Path target, SaveFormat format) {
    throw unsupported("save", UNSUPPORTED.get("save"));
  }

  @Override
  public Digest push(ImageRecord image, String reference, RegistryAuth auth) {
    throw unsupported("push", UNSUPPORTED.get("push"));
  }

  @Override
  public List<ImageRecord> load(Path archive) {
    throw unsupported("load", UNSUPPORTED.get("load"));
  }

  // ---- containers -------------------------------------------------------------------------

  @Override
  public ContainerBackend run(String image, RunOptions options) {
    return start(createPulling(image, options), options);
  }

  @Override
  public ContainerBackend create(String image, RunOptions options) {
    return createPulling(image, options);
  }

  @Override
  public ContainerBackend start(ImageRecord image, String imageName, RunOptions options) {
    return start(createContainer(imageName, options), options);
  }

  @Override
  public ContainerBackend create(ImageRecord image, String imageName, RunOptions options) {
    return createContainer(imageName, options);
  }

  private RemoteContainer createPulling(String image, RunOptions options) {
    try {
      return createContainer(image, options);
    } catch (NotFoundException e) {
      images.pull(image, null, PullListener.NONE);
      return createContainer(image, options);
    }
  }

  private RemoteContainer createContainer(String image, RunOptions options) {
    // Berth's API server holds the session and removes them when this JVM is gone; elsewhere
    if (options.removeWithJvm() && !sessionHold.ensure()) {
      synchronized (removeWithJvm) { // the reaper starts with the first removeWithJvm container
        if (!reaperTried && RemoteReaper.enabled()) {
          RemoteReaper.startOrWarn(http, version, SESSION, SESSION_ID);
          reaperTried = true;
        }
      }
    }
    String path = "/containers/create" + (options.name() == null ? ""
        : "?name=" + RemoteContainer.q(options.name()));
    String id;
    try {
      id = http.json("POST", path, RemoteCreate.body(normalize(image), options, SESSION,
          SESSION_ID, http.elsewhere())).path("Id").asText();
    } catch (BerthException e) {
      if (e instanceof dev.berth.ConflictException || options.name() == null
          || !String.valueOf(e.getMessage()).contains("already in use")) {
        throw e;
      }
      throw new dev.berth.ConflictException("The container name \"/" + options.name()
          + "\" is already in use: " + e.getMessage()); // podman's 500, as Docker's 409 says it
    }
    if (options.removeWithJvm()) {
      removeWithJvm.add(id);
    }
    return new RemoteContainer(this, http.container(id));
  }

  /** A reference as the engine names it: docker.io/library/busybox:latest for busybox. */
  private static String normalize(String image) {
    try {
      return ImageRef.parse(image).toString();
    } catch (IllegalArgumentException e) {
      return image; // an id
    }
  }

  /** Attaches first when not detached, so no output is lost, then starts. */
  private RemoteContainer start(RemoteContainer c, RunOptions options) {
    AutoCloseable waiting = null;
    try {
      if (!options.detach() || options.autoRemove()) {
        waiting = c.armExit(); // before the start: an auto-removed container keeps its code
      }
      if (!options.detach()) {
        boolean stdin = options.process().stdinOpen();
        DockerHttp.Response r = http.send("POST", "/containers/" + c.id() + "/attach?stream=1"
            + "&stdout=1&stderr=1" + (stdin ? "&stdin=1" : ""),
            Map.of("Connection", "Upgrade", "Upgrade", "tcp"), null);
        Frames.Split split = new Frames(r.body(), options.process().tty())
            .split(threads, () -> { });
        c.attached(new RemoteContainer.Attached(split.stdout(), split.stderr(),
            stdin ? new RemoteContainer.HalfClosingStream(r.connection()) : null));
      }
      c.start();
    } catch (BerthException e) { // podman's service fails the attach when the program does
      closeQuietly(waiting);
      throw StartFailures.typed("container " + c.name() + " (" + c.id().substring(0, 12)
          + ") could not start on the Docker engine at " + http.host().url(), e);
    }
    if (options.process().tty()) {
      c.initialSize();
    }
    return c;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception e) {
      // a wait for a start that failed: nothing to keep
    }
  }

  @Override
  public List<ContainerInfo> containers(boolean all) {
    List<ContainerInfo> out = new ArrayList<>();
    for (JsonNode j : http.json("GET", "/containers/json?all=" + all, null)) {
      try {
        out.add(RemoteValues.container(http.container(j.path("Id").asText())));
      } catch (NotFoundException e) {
        // removed between the list and its inspect
      }
    }
    return out;
  }

  @Override
  public ContainerBackend container(String idOrName) {
    try {
      return new RemoteContainer(this, http.container(RemoteContainer.q(idOrName)));
    } catch (NotFoundException e) {
      throw new NotFoundException("No such container: " + idOrName + " (on the Docker engine at "
          + http.host().url() + ")");
    }
  }

  @Override
  public List<String> pruneContainers() {
    return RemoteValues.strings(http.json("POST", "/containers/prune", null)
        .path("ContainersDeleted"));
  }

  // ---- networks and volumes: RemoteNetworks ------------------------------------------------

  @Override
  public NetworkInfo createNetwork(String name, Map<String, String> labels) {
    return networks.createNetwork(name, labels);
  }

  @Override
  public List<NetworkInfo> networks() {
    return networks.networks();
  }

  @Override
  public void removeNetwork(String name, boolean force) {
    networks.removeNetwork(name, force);
  }

  @Override
  public VolumeInfo createVolume(String name) {
    return networks.createVolume(name);
  }

  @Override
  public List<VolumeInfo> volumes() {
    return networks.volumes();
  }

  @Override
  public void removeVolume(String name, boolean force) {
    networks.removeVolume(name, force);
  }

  @Override
  public List<String> pruneVolumes() {
    return networks.pruneVolumes();
  }

  // ---- the engine ---------------------------------------------------------------------------

  @Override
  public HostInfo info() {
    return RemoteInfo.info(http, version);
  }


  @Override
  public Optional<Path> home() {
    return Optional.empty();
  }

  @Override
  public Optional<Engine> local() {
    return Optional.empty();
  }

  /** Removes what this session made with {@code removeWithJvm}; running ones are killed first. */
  private void removeOwned() {
    for (String id : List.copyOf(removeWithJvm)) {
      try {
        http.json("DELETE", "/containers/" + id + "?force=true&v=true", null);
      } catch (RuntimeException e) {
        // gone already, or the engine is: nothing more to do at exit
      }
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs
    }
    removeOwned();
    threads.shutdownNow();
  }


}
