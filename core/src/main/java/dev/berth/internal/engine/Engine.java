package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.PullListener;
import dev.berth.RegistryAuth;
import dev.berth.RunOptions;
import dev.berth.SaveFormat;
import dev.berth.internal.archive.ArchiveFormat;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.net.Networks;
import dev.berth.internal.registry.Credentials;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.RegistryConfig;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLayout;
import dev.berth.internal.unpack.LayerUnpacker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One engine: a store, a registry client, a pool of workers and the container runtime, all
 * configured by one {@link EngineSettings}. The public {@code Berth} class is its face.
 */
public final class Engine implements AutoCloseable {
  private final EngineSettings settings;
  private final Store store;
  private final Lazy<RegistryClient> registry;
  private final ExecutorService workers;
  private final Lazy<ImagePuller> puller;
  private final LayerImporter importer;
  private final ContainerManager containers;
  private final ImageRemover remover;
  private final ImageArchives archives;
  private final Lazy<ImagePusher> pusher;
  private final Networks networks;
  private final HostSetup setup;
  /** Extracted (read from the jar, hashed, compared) when a container or helper job needs it. */
  private final Lazy<Path> helperFile = Lazy.of(() -> HelperBinary.defaultCache().path());
  /** What containers' and jobs' helpers are started from: this JVM's sealed copy of the file. */
  private final Lazy<Path> helper = Lazy.of(() -> HelperBinary.launchPath(helperFile.get()));
  private final TreeRemover trees;
  private final SparePool spares;
  private final ExecutorService waiters = Executors.newCachedThreadPool(daemonThreads("berth-wait-"));

  private Engine(EngineSettings settings) {
    this.settings = settings;
    this.setup = HostSetup.detect(System.getenv());
    this.trees = new TreeRemover(setup.fullRange()
        ? new HelperJobs(helper, setup.idMapping(), new StoreLayout(settings.home()).tmpDir()) : null);
    this.store = Store.open(settings.home(), trees::remove);
    // Made on first pull or push: listing needs no HTTP client, TLS context or credentials.
    this.registry = Lazy.of(() -> new RegistryClient(registryConfig(settings)));
    this.workers = Executors.newFixedThreadPool(
        Math.max(3, Runtime.getRuntime().availableProcessors() + 1), daemonThreads("berth-worker-"));
    this.importer = new LayerImporter(store, new LayerUnpacker(setup.unpackOptions()),
        setup.layerFormat(), trees, setup.ownersBeside());
    this.puller = Lazy.of(() -> new ImagePuller(store, registry.get(), settings.platform(), workers, importer));
    // User-defined networks need root (bridges, veths, nftables); rootless engines have none.
    this.networks = Linux.isRoot() ? new Networks(settings.home()) : null;
    dev.berth.internal.cgroup.CgroupHost cgroups = dev.berth.internal.cgroup.Cgroups.detect();
    this.spares = new SparePool(helper, cgroups,
        Linux.isRoot() ? new StoreLayout(settings.home()).containersDir() : null);
    this.containers = new ContainerManager(store,
        new HelperLauncher(helper, Duration.ofSeconds(30), networks),
        networks, setup, trees, cgroups, spares);
    // As the store sweeps the staging of JVMs gone: what their creates and spares left.
    try {
      containers.sweepHalfCreated();
      spares.sweepGone();
    } catch (RuntimeException e) {
      System.getLogger("dev.berth").log(System.Logger.Level.WARNING,
          "cannot sweep what JVMs killed mid-create left in " + settings.home() + ": " + e.getMessage());
    }
    this.remover = new ImageRemover(store, this::image, containers::records);
    this.archives = new ImageArchives(store, importer, settings.platform());
    this.pusher = Lazy.of(() -> new ImagePusher(store, registry.get()));
  }

  private static RegistryConfig registryConfig(EngineSettings settings) {
    RegistryConfig.Builder rc = RegistryConfig.defaults().toBuilder()
        .mirrors(settings.mirrors())
        .insecureRegistries(Set.copyOf(settings.insecureRegistries()));
    if (settings.dockerConfig() != null) {
      rc.authFiles(List.of(settings.dockerConfig()));
    }
    settings.credentials().forEach((host, userPass) ->
        rc.credentials(host, userPass.get(0), userPass.get(1)));
    return rc.build();
  }

  public static Engine open(EngineSettings settings) {
    return new Engine(settings);
  }

  public EngineSettings settings() {
    return settings;
  }

  public Store store() {
    return store;
  }

  /** The registry client, for builds that push what they made. */
  public RegistryClient registry() {
    return registry.get();
  }

  /** @return what this engine can do on this host: rootless, id mapping, root fs mode, cgroups, networks */
  public HostInfo info() {
    return setup.info(store.layout().home(), helperFile.get());
  }

  ContainerManager containers() {
    return containers;
  }

  /** Threads that block waiting (for exits, on streams): few, short-lived, daemons. */
  ExecutorService waiters() {
    return waiters;
  }

  // ---- images -----------------------------------------------------------------------------

  public ImageRecord pull(String reference, PullListener listener) {
    return puller.get().pull(ImageRef.parse(reference), listener);
  }

  /**
   * A pull with {@code auth} for the reference's registry, in place of the engine's credentials
   * for this call only; {@code auth} null is {@link #pull(String, PullListener)}.
   */
  public ImageRecord pull(String reference, RegistryAuth auth, PullListener listener) {
    if (auth == null) {
      return pull(reference, listener);
    }
    ImageRef ref = ImageRef.parse(reference);
    return new ImagePuller(store, registryFor(ref.registry(), auth, "pull"), settings.platform(),
        workers, importer).pull(ref, listener);
  }

  /**
   * Checks {@code auth} against a registry as {@code docker login}; nothing is kept.
   *
   * @param serverAddress {@code host:port} or a URL as {@code docker login} takes it
   * @return the registry as references name it
   * @throws dev.berth.AuthenticationException when the registry refuses them
   */
  public String login(String serverAddress, RegistryAuth auth) {
    String registry = RegistryClient.registryName(serverAddress);
    registryFor(registry, auth, "log in").login(registry);
    return registry;
  }

  /** The engine's registry client, presenting {@code auth} to {@code registry} instead. */
  private RegistryClient registryFor(String registry, RegistryAuth auth, String call) {
    return this.registry.get().withCredentials(registry,
        Credentials.of(auth, "the credentials given to " + call));
  }

  public Optional<ImageRecord> findImage(String query) {
    return ImageCatalog.find(store.images(), query);
  }

  /** @throws ImageNotFoundException naming the reference, when no stored image matches */
  public ImageRecord image(String query) {
    return findImage(query).orElseThrow(() -> new ImageNotFoundException(query,
        "No such image: " + query + " is not in the local store at " + store.layout().home()
            + "; pull it first"));
  }

  public List<ImageRecord> images() {
    return store.images();
  }

  /** @return what {@code docker image inspect} shows of a stored image */
  public ImageInfo inspect(ImageRecord image) {
    return ImageInspector.inspect(store, image);
  }

  /** Adds a name to a stored image (moving it from any image that had it). */
  public ImageRecord tag(ImageRecord image, String reference) {
    ImageRef ref = ImageRef.parse(reference);
    if (ref.digest() != null) {
      throw new BerthException("refusing to create a tag with a digest reference: " + reference
          + "; give a name and tag, e.g. myimage:1.0");
    }
    return ImageCatalog.add(store, image, ref);
  }

  /**
   * Removes an image as {@code docker rmi}; see {@link ImageRemover#remove}.
   *
   * @throws ImageNotFoundException when no stored image matches
   */
  public ImageRemoval removeImage(String query, boolean force) {
    return remover.remove(query, force);
  }

  /** Deletes untagged images no container uses, and every unused layer and blob. */
  public ImageRemoval pruneImages() {
    return remover.prune();
  }

  /** Applies the image's layers, flattened, to a new or empty directory. */
  public void unpack(ImageRecord image, Path dir) {
    archives.unpack(current(image), dir);
  }

  /** Writes the image to an archive or OCI layout. */
  public void save(ImageRecord image, Path target, SaveFormat format) {
    archives.save(List.of(current(image)), target, switch (format) {
      case DOCKER_ARCHIVE -> ArchiveFormat.DOCKER_ARCHIVE;
      case OCI_ARCHIVE -> ArchiveFormat.OCI_ARCHIVE;
      case OCI_LAYOUT -> ArchiveFormat.OCI_DIR;
    });
  }

  /** Stores the images of an archive or OCI layout, with their names. */
  public List<ImageRecord> load(Path source) {
    return archives.load(source);
  }

  /**
   * Pushes the image under {@code reference} and adds {@code repo@digest} to its record.
   *
   * @return the digest of the pushed manifest
   */
  public Digest push(ImageRecord image, String reference) {
    return pusher.get().push(current(image), ImageRef.parse(reference));
  }

  /** A push with {@code auth} for the target's registry, for this call only (null: the engine's). */
  public Digest push(ImageRecord image, String reference, RegistryAuth auth) {
    if (auth == null) {
      return push(image, reference);
    }
    ImageRef ref = ImageRef.parse(reference);
    return new ImagePusher(store, registryFor(ref.registry(), auth, "push"))
        .push(current(image), ref);
  }

  /**
   * The image as stored now.
   *
   * @throws ImageNotFoundException when it was removed since the caller got it
   */
  private ImageRecord current(ImageRecord image) {
    return store.images().stream().filter(r -> r.id().equals(image.id())).findFirst()
        .orElseThrow(() -> new ImageNotFoundException(image.id(), "No such image: "
            + image.id() + " (" + String.join(", ", image.repoTags()) + ") was removed from the"
            + " local store at " + store.layout().home() + "; pull or load it again"));
  }

  /** @throws dev.berth.UnsupportedEnvironmentException when not root */
  public Networks networks() {
    if (networks == null) {
      throw new dev.berth.UnsupportedEnvironmentException("user-defined networks need root"
          + " (bridges, veth pairs, nftables); rootless containers can share a network with"
          + " network(\"container:<name>\") or publish ports on their private network");
    }
    return networks;
  }

  // ---- containers -------------------------------------------------------------------------

  /** Runs a container of a stored image, pulling it first when missing (as docker run). */
  public ContainerHandle run(String image, dev.berth.RunOptions options, PullListener listener) {
    ImageRecord record = findImage(image).orElseGet(() -> pull(image, listener));
    return ContainerHandle.start(this, record, image, options);
  }

  /** Creates a container of a stored image, pulling it first when missing (as docker create). */
  public ContainerHandle create(String image, dev.berth.RunOptions options, PullListener listener) {
    ImageRecord record = findImage(image).orElseGet(() -> pull(image, listener));
    return ContainerHandle.create(this, record, image, options);
  }

  public List<dev.berth.ContainerInfo> containers(boolean all) {
    return containers.list(all);
  }

  /** @throws BerthException "No such container" naming the query */
  public ContainerHandle container(String idOrName) {
    return containers.find(idOrName).map(r -> ContainerHandle.of(this, r))
        .orElseThrow(() -> new dev.berth.NotFoundException("No such container: " + idOrName));
  }

  /** Removes every container that is not running; returns their ids. */
  public List<String> pruneContainers() {
    List<String> removed = new java.util.ArrayList<>();
    for (var r : containers.records()) {
      if (!containers.info(r).isRunning()) {
        containers.remove(r, false);
        removed.add(r.id());
      }
    }
    return removed;
  }

  // ---- volumes ----------------------------------------------------------------------------

  /** Creates a volume, or returns the existing one of that name. */
  public dev.berth.VolumeInfo createVolume(String name) {
    return containers.volumes().create(name, java.util.Map.of());
  }

  public List<dev.berth.VolumeInfo> volumes() {
    return containers.volumes().list();
  }

  /** @throws BerthException when missing, or used by a container and not {@code force} */
  public void removeVolume(String name, boolean force) {
    containers.volumes().remove(name, force);
  }

  /** Removes the volumes no container uses; returns their names. */
  public List<String> pruneVolumes() {
    return containers.volumes().prune();
  }

  @Override
  public void close() {
    try {
      spares.close();
    } finally {
      workers.shutdownNow();
      waiters.shutdown();
      store.close(); // whatever else failed: its session dir and lock go
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
