package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.NetworkMode;
import dev.berth.RunOptions;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.Digest;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.CgroupLimits;
import dev.berth.internal.cgroup.Cgroups;
import dev.berth.internal.cgroup.ContainerCgroup;
import dev.berth.internal.linux.Syscalls;
import dev.berth.PortMapping;
import dev.berth.internal.net.Networks;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.PortsFile;
import dev.berth.internal.runtime.ContainerNames;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.runtime.ControlSocket;
import dev.berth.internal.runtime.ExecSpec;
import dev.berth.internal.runtime.ExecUser;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.IdMapping;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.LayerView;
import dev.berth.internal.runtime.MonitorOptions;
import dev.berth.internal.runtime.ProcessSpec;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.runtime.StoredOptions;
import dev.berth.internal.runtime.UserNamespaces;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Containers on disk: creating one (record, overlay dirs, /etc files) and starting it through
 * the helper, reading records and states back (from any JVM), signalling and removing.
 */
final class ContainerManager {
  private static final int SIGKILL = 9;
  private static final int SIGTERM = 15;

  private final Store store;
  private final HelperLauncher launcher;
  private final HostSetup setup;
  private final TreeRemover trees;
  private final String bootId = ContainerRecord.currentBootId();
  private final ContainerNameIndex names;
  private final RecordCache recordCache = new RecordCache();
  private final java.util.Map<String, ImageConfig> configs =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, ExecUser> users =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Layers whose format was checked, with the identity of the layer dir then (see requireFormat). */
  private final java.util.Map<Digest, Object> checkedLayers =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Networks networks;
  private final VolumeStore volumes;
  private final ContainerMounts mounts;
  private final RootlessFiles rootlessFiles;
  private static final System.Logger LOG = System.getLogger("dev.berth");
  private final CgroupHost cgroupHost;
  private final SparePool spares;

  ContainerManager(Store store, HelperLauncher launcher, Networks networks, HostSetup setup, TreeRemover trees,
      CgroupHost cgroupHost, SparePool spares) {
    this.cgroupHost = cgroupHost;
    this.spares = spares;
    this.store = store;
    this.launcher = launcher;
    this.networks = networks;
    this.setup = setup;
    this.trees = trees;
    this.names = new ContainerNameIndex(store);
    this.volumes = new VolumeStore(store, this::records);
    this.rootlessFiles = RootlessFiles.forSetup(store, setup, trees.jobs(), launcher::helper);
    this.mounts = new ContainerMounts(store, volumes, rootlessFiles);
  }

  /**
   * A started container, with the monitor's process when this JVM started it (null when it was
   * running already).
   */
  record Started(ContainerRecord record, ContainerFiles files, LaunchedContainer launched) {}

  /** Creates and starts, as {@code docker run}; a failed start of a {@code --rm} container removes it. */
  Started run(ImageRecord image, String imageName, RunOptions opts) {
    return start(create(image, imageName, opts));
  }

  /**
   * Creates a container, as {@code docker create}: its directory, name, mounts and record, with
   * every option in it, so that any JVM can start it.
   */
  ContainerRecord create(ImageRecord image, String imageName, RunOptions opts) {
    // Until the record names them, a GC in another JVM must not take this image's layers.
    try (Store.Reservation layers = store.reserve(image.chainIds().stream().map(Digest::parse)
        .toList())) {
      return createRecord(image, imageName, opts);
    }
  }

  private ContainerRecord createRecord(ImageRecord image, String imageName, RunOptions opts) {
    ImageConfig config = config(image.id(), imageName);
    String id = ContainerNames.newId();
    ContainerFiles files = new ContainerFiles(store.layout().containerDir(id));
    // Until the record says whose the directory is, this JVM's claim does: a sweep in any JVM
    // leaves it alone while this JVM lives, and removes it once a kill has ended the create.
    try (Store.Claim claim = store.claim(claimName(id))) {
      // The directory first: a name pointing at a missing directory counts as free.
      createDirs(files);
      String name;
      try {
        name = names.reserve(opts.name(), id);
      } catch (RuntimeException e) {
        deleteDir(files);
        throw e;
      }
      return writeRecord(image, imageName, opts, config, id, files, name);
    }
  }

  private ImageConfig config(String imageId, String imageName) {
    return configs.computeIfAbsent(imageId, id -> Manifests.parseConfig(
        store.readBlob(Digest.parse(id)), "config of " + imageName));
  }

  private static String claimName(String containerId) {
    return "container-" + containerId;
  }

  private ContainerRecord writeRecord(ImageRecord image, String imageName, RunOptions opts,
      ImageConfig config, String id, ContainerFiles files, String name) {
    ContainerRecord record;
    try {
      String hostname = opts.hostname() != null ? opts.hostname() : id.substring(0, 12);
      ProcessSpec process = ProcessSpec.resolve(config.config(), opts, hostname, imageName);
      // Under the volumes lock: no volume this container records can be removed meanwhile.
      try (dev.berth.internal.store.StoreLock lock = mounts.needsVolumes(opts, config.config().volumes())
          ? volumes.lock() : null) {
        List<ContainerRecord.Mount> mounted = mounts.prepare(opts, config.config().volumes(),
            lowerDirs(image.chainIds()), id);
        record = new ContainerRecord(id, name, imageName, image.id(), Instant.now().toString(),
            process.argv(), process.env(), process.workingDir(), process.user(), hostname,
            opts.labels(), image.chainIds(), opts.tty(), opts.stdinOpen(), opts.autoRemove(),
            bootId, opts.network().toString(), mounted, setup.userNamespace().name(),
            setup.rootfs().name(), StoredOptions.from(opts),
            opts.network() instanceof NetworkMode.UserDefined u
                ? List.of(new ContainerRecord.NetworkRef(u.name(), opts.networkAliases())) : List.of());
        record.write(files);
      }
    } catch (RuntimeException e) {
      names.release(name, id);
      deleteDir(files);
      throw e;
    }
    return record;
  }

  /**
   * Starts a created or exited container, as {@code docker start}: same directory, upper dir,
   * name and log (appended to); the monitor replaces the state. Every option comes from the
   * record, so the JVM that created the container need not be this one. A running container is
   * left as it is ({@code launched} null).
   *
   * @throws BerthException when the container was removed
   */
  Started start(ContainerRecord given) {
    ContainerFiles files = files(given.id());
    if (!Files.isDirectory(files.dir())) {
      throw gone(given); // checked first: the lock file would make the directory again
    }
    // One start at a time, in every JVM: the second finds it running.
    try (dev.berth.internal.store.StoreLock lock = dev.berth.internal.store.StoreLock.acquire(files.startLock())) {
      ContainerRecord record = ContainerRecord.read(files).orElseThrow(() -> gone(given));
      if (info(record).isRunning()) {
        return new Started(record, files, null);
      }
      if (Files.exists(files.state())) {
        record = clearLastRun(record, files);
      }
      return launch(record, files, record.runOptions());
    }
  }

  private static BerthException gone(ContainerRecord r) {
    return new dev.berth.NotFoundException("No such container: " + r.name() + " (" + r.id() + ") was removed"
        + (r.autoRemove() ? " (it was created with autoRemove, so it went when it exited)" : "")
        + "; create a new one");
  }

  /**
   * What the last run left that the next must not find: its monitor (still removing the
   * cgroup), its cgroup, the pause marker, its place on a user-defined network, and a boot id
   * from before a reboot (with which it would never read as running).
   */
  private ContainerRecord clearLastRun(ContainerRecord r, ContainerFiles files) {
    awaitMonitorGone(r);
    cgroup(r).ifPresent(ContainerCgroup::destroy);
    try {
      Files.deleteIfExists(files.paused());
    } catch (IOException e) {
      throw new BerthException("cannot start container " + r.name() + ": removing " + files.paused()
          + " failed: " + e.getMessage(), e);
    }
    if (networks != null && onUserDefinedNetwork(r)) {
      networks.detach(r.id());
    }
    if (!bootId.equals(r.bootId())) {
      r = r.withBootId(bootId);
      r.write(files);
    }
    return r;
  }

  private Started launch(ContainerRecord record, ContainerFiles files, RunOptions opts) {
    String id = record.id();
    ContainerCgroup cgroup = null;
    SparePool.Spare spare = spares.claim();
    try {
      cgroup = spare != null
          ? ContainerCgroup.adopt(cgroupHost, id, cgroupLimits(opts.limits()), opts.limitsBestEffort(), spare.cgroup())
          : ContainerCgroup.create(cgroupHost, id, cgroupLimits(opts.limits()), opts.limitsBestEffort());
      cgroup.notApplied().forEach(l -> LOG.log(System.Logger.Level.WARNING, "container " + record.name() + " runs without " + l));
      LaunchedContainer launched = launcher.launch(runtimeSpec(record, files, opts), files.dir(),
          new MonitorOptions(!opts.detach(), opts.autoRemove(), cgroup.joinPaths(),
              opts.removeWithJvm() ? ProcessHandle.current().pid() : 0),
          networkSpec(opts, record), spare == null ? null : spare.helper());
      return new Started(record, files, launched);
    } catch (RuntimeException e) {
      if (spare != null) {
        spare.close(); // unclaimed: its zygote dies and its dirs not yet renamed go
      }
      if (cgroup != null) {
        cgroup.destroy();
      }
      if (opts.autoRemove()) {
        names.release(record.name(), id);
        deleteDir(files);
      }
      throw e;
    } finally {
      spares.refill(); // now that this container is up (see SparePool)
    }
  }

  /** Docker's network options, as the helper's network spec. */
  private NetworkSpec networkSpec(RunOptions opts, ContainerRecord record) {
    List<PortMapping> ports = new ArrayList<>(opts.ports());
    if (opts.publishAll()) {
      for (String exposed : config(record.imageId(), record.image()).config().exposedPorts()) {
        String[] portProto = exposed.split("/");
        ports.add(new PortMapping("127.0.0.1", 0, Integer.parseInt(portProto[0]),
            portProto.length > 1 ? portProto[1] : "tcp"));
      }
    }
    PortMapping[] published = ports.toArray(PortMapping[]::new);
    NetworkMode net = opts.network();
    if (net.sharesOrLacksNetwork() && !ports.isEmpty()) {
      throw new BerthException("conflicting options: port publishing and the network mode "
          + net + "; ports can only be published on a private or user-defined network");
    }
    if (net instanceof NetworkMode.Private) {
      return NetworkSpec.privateNetwork(published).withMore(more(record, record.userNetworks()));
    }
    if (net instanceof NetworkMode.None) {
      return NetworkSpec.none();
    }
    if (net instanceof NetworkMode.Host) {
      return NetworkSpec.host();
    }
    if (net instanceof NetworkMode.JoinContainer join) {
      String other = join.container();
      ContainerRecord target = find(other).orElseThrow(() -> new dev.berth.NotFoundException(
          "No such container: " + other + " (for --network container:" + other + ")"));
      ContainerInfo info = info(target);
      if (!info.isRunning()) {
        throw new BerthException("cannot join the network of container " + other
            + ": it is not running; start it first");
      }
      return NetworkSpec.joining(info.pid());
    }
    List<ContainerRecord.NetworkRef> on = record.userNetworks();
    if (on.isEmpty()) { // disconnected from every network: lo only, as Docker leaves it
      return new NetworkSpec(NetworkSpec.Mode.NONE, null, 0, List.of(), List.of(published));
    }
    List<String> aliases = new ArrayList<>(List.of(record.name()));
    aliases.addAll(on.get(0).aliases());
    return NetworkSpec.bridge(on.get(0).name(), aliases, published).withMore(more(record, on.subList(1, on.size())));
  }

  /** The networks after the first (connected later): the helper wires them as eth1, eth2 … before the process runs. */
  private static List<NetworkSpec.More> more(ContainerRecord record, List<ContainerRecord.NetworkRef> refs) {
    return refs.stream().map(ref -> new NetworkSpec.More(ref.name(), namesOn(record, ref))).toList();
  }

  /** The names peers on a network reach the container by: host name, name, then its aliases there. */
  private static List<String> namesOn(ContainerRecord r, ContainerRecord.NetworkRef ref) {
    List<String> names = new ArrayList<>(List.of(r.hostname() != null ? r.hostname() : r.id()));
    java.util.stream.Stream.concat(java.util.stream.Stream.of(r.name()), ref.aliases().stream())
        .filter(n -> !names.contains(n)).forEach(names::add);
    return names;
  }

  private Networks requireNetworks(String what) {
    if (networks == null) {
      throw new UnsupportedEnvironmentException("Cannot " + what + ": user-defined networks need root (bridges, "
          + "veths and NAT are host-wide); rootless containers can use the private network with published ports");
    }
    return networks;
  }

  /**
   * Connects the container to a user-defined network, as {@code docker network connect}: a
   * running one gets a new interface at once (see {@link Networks#connect}); a created or
   * stopped one has the network in its record and is wired when it starts, as it is after
   * every restart.
   *
   * @return the record with the network added
   * @throws BerthException when the network does not exist ("No such network"), the container
   *     is on it already, its network mode is host, none or another container's, or it was removed
   */
  ContainerRecord connect(ContainerRecord given, String network, List<String> aliases) {
    Networks nets = requireNetworks("connect container " + given.name() + " to network " + network);
    ContainerFiles files = files(given.id());
    if (!Files.isDirectory(files.dir())) {
      throw gone(given);
    }
    // the start lock: no start reads the record's networks meanwhile
    try (dev.berth.internal.store.StoreLock lock = dev.berth.internal.store.StoreLock.acquire(files.startLock())) {
      ContainerRecord r = ContainerRecord.read(files).orElseThrow(() -> gone(given));
      NetworkMode mode = networkOf(r);
      if (mode instanceof NetworkMode.Host || mode instanceof NetworkMode.None || mode instanceof NetworkMode.JoinContainer) {
        throw new BerthException("Container " + r.name() + " cannot be connected to network " + network
            + ": its network mode is " + mode + ", which has no network of its own to add to; create it on a"
            + " user-defined network (or the private one) instead");
      }
      if (nets.get(network).isEmpty()) {
        throw new dev.berth.NotFoundException("No such network: " + network + " (to connect container " + r.name()
            + "); create it first");
      }
      if (r.userNetworks().stream().anyMatch(n -> n.name().equals(network))) {
        throw new dev.berth.ConflictException("Container " + r.name() + " is already connected to network " + network);
      }
      List<ContainerRecord.NetworkRef> on = new ArrayList<>(r.userNetworks());
      ContainerRecord.NetworkRef ref = new ContainerRecord.NetworkRef(network, aliases);
      on.add(ref);
      ContainerRecord updated = r.withNetworks(on);
      ContainerInfo info = info(r);
      boolean plugged = false;
      if (info.isRunning()) {
        nets.connect(network, r.id(), namesOn(r, ref), files.hosts(), info.pid());
        plugged = true;
      }
      try {
        updated.write(files);
      } catch (RuntimeException e) {
        if (plugged) {
          nets.disconnect(network, r.id());
        }
        throw e;
      }
      return updated;
    }
  }

  /**
   * Disconnects the container from a user-defined network, as {@code docker network
   * disconnect}: a running one loses the interface at once, and no later start wires it.
   *
   * @param force also when the network no longer exists (the record forgets it)
   * @return the record without the network
   * @throws BerthException when the network does not exist ("No such network") and not
   *     {@code force}, the container is not on it, or it was removed
   */
  ContainerRecord disconnect(ContainerRecord given, String network, boolean force) {
    ContainerFiles files = files(given.id());
    if (!Files.isDirectory(files.dir())) {
      throw gone(given);
    }
    try (dev.berth.internal.store.StoreLock lock = dev.berth.internal.store.StoreLock.acquire(files.startLock())) {
      ContainerRecord r = ContainerRecord.read(files).orElseThrow(() -> gone(given));
      boolean exists = networks != null && networks.get(network).isPresent();
      if (!exists && !force) {
        throw new dev.berth.NotFoundException("No such network: " + network + " (to disconnect container " + r.name() + " from)");
      }
      List<ContainerRecord.NetworkRef> on = new ArrayList<>(r.userNetworks());
      boolean recorded = on.removeIf(n -> n.name().equals(network));
      boolean attached = exists && networks.disconnect(network, r.id());
      if (!recorded && !attached) {
        throw new BerthException("Container " + r.name() + " is not connected to network " + network);
      }
      ContainerRecord updated = r.withNetworks(on);
      updated.write(files);
      return updated;
    }
  }

  private static CgroupLimits cgroupLimits(RunOptions.Limits l) {
    if (l.isNone()) {
      return CgroupLimits.NONE;
    }
    CgroupLimits.Builder b = CgroupLimits.builder();
    if (l.memoryBytes() > 0) {
      b.memory(l.memoryBytes());
    }
    if (l.memorySwapBytes() != 0) {
      b.memorySwap(l.memorySwapBytes());
    }
    if (l.cpus() > 0) {
      b.cpus(l.cpus());
    }
    if (l.cpuShares() > 0) {
      b.cpuShares(l.cpuShares());
    }
    if (l.pidsLimit() > 0) {
      b.pidsMax(l.pidsLimit());
    }
    return b.build();
  }

  private static RuntimeSpec.Seccomp seccomp(String profile) {
    return switch (profile) {
      case "default" -> new RuntimeSpec.BuiltInSeccomp();
      case "unconfined" -> new RuntimeSpec.Unconfined();
      default -> new RuntimeSpec.SeccompProfileFile(Path.of(profile));
    };
  }

  private RuntimeSpec runtimeSpec(ContainerRecord record, ContainerFiles files, RunOptions opts) {
    record.layers().forEach(l -> requireFormat(Digest.parse(l), record));
    List<Path> lowers = lowerDirs(record);
    // Layers never change: one image's users resolve once.
    ExecUser user = users.computeIfAbsent(record.imageId() + "\0" + record.user(),
        k -> ExecUser.resolve(record.user(),
            LayerView.readFile(lowers, "/etc/passwd").orElse(null),
            LayerView.readFile(lowers, "/etc/group").orElse(null)));
    ProcessSpec process = new ProcessSpec(record.argv(), record.env(), record.workingDir(),
        record.user()).withHome(user.home());
    RuntimeSpec.Builder b = RuntimeSpec.builder(rootfs(record, lowers, files), process.argv().toArray(String[]::new))
        .idMapping(setup.idMapping())
        .cwd(process.workingDir())
        .user(user.uid(), user.gid(), groupsThatExist(user, record.user()))
        .hostname(record.hostname())
        .stdinOpen(record.stdinOpen())
        .tty(record.tty())
        .capAdd(opts.capAdd().toArray(String[]::new))
        .capDrop(opts.capDrop().toArray(String[]::new))
        .privileged(opts.privileged())
        .readOnlyRootfs(opts.readOnlyRootfs())
        .noNewPrivileges(opts.noNewPrivileges());
    if (!opts.privileged()) {
      b.seccomp(seccomp(opts.seccomp()));
    }
    process.env().forEach(b::env);
    mounts.runtimeMounts(record.mounts()).forEach(b::mount);
    return b.build();
  }

  /**
   * A layer unpacked for another setup has other owners and xattrs: using it would go wrong quietly.
   * A layer dir once checked is not read again while it is the same dir (a layer removed and
   * unpacked again, by any JVM, is a new dir).
   */
  private void requireFormat(Digest layer, ContainerRecord record) {
    Object dirKey = fileKey(store.layout().layerDir(layer));
    if (dirKey != null && dirKey.equals(checkedLayers.get(layer))) {
      return;
    }
    String format = store.layerMeta(layer).map(Store.LayerMeta::format).orElse(null);
    if (format != null && !format.equals(setup.layerFormat())) {
      throw new UnsupportedEnvironmentException("Layer " + layer + " of " + record.image() + " in " + store.layout().home()
          + " was unpacked as \"" + format + "\" but this engine needs \"" + setup.layerFormat()
          + "\" (the store was filled as another user or id setup): use another BERTH_HOME, or remove this one and pull again");
    }
    if (dirKey != null) {
      checkedLayers.put(layer, dirKey);
    }
  }

  private static Object fileKey(Path dir) {
    try {
      return Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Rootless, only mapped ids exist: the user and group must, extra groups that do not are
   * dropped (root in many images is in groups that a single-id namespace lacks).
   *
   * @throws UnsupportedEnvironmentException naming the user and what to do, when it cannot exist
   */
  private Integer[] groupsThatExist(ExecUser user, String userName) {
    IdMapping ids = setup.idMapping();
    if (!ids.hasUid(user.uid()) || !ids.hasGid(user.gid())) {
      throw new UnsupportedEnvironmentException("The container's user \"" + userName + "\" (uid " + user.uid()
          + ", gid " + user.gid() + ") does not exist in a rootless container here, whose ids are: " + ids
          + ". Run it as user 0, or give " + System.getProperty("user.name")
          + " subordinate ids in /etc/subuid and /etc/subgid (and install uidmap) for ids 1 to 65536");
    }
    return user.groups().stream().filter(ids::hasGid).toArray(Integer[]::new);
  }

  private RuntimeSpec.RootFs rootfs(ContainerRecord record, List<Path> lowers, ContainerFiles files) {
    return switch (setup.rootfs()) {
      case OVERLAY -> new RuntimeSpec.Overlay(lowers, files.upper(), files.work(), false);
      case OVERLAY_USERXATTR -> new RuntimeSpec.Overlay(lowers, files.upper(), files.work(), true);
      // copied once: a start again keeps what the container wrote, as an overlay's upper dir does
      case COPY -> Files.isDirectory(files.copiedRoot()) ? new RuntimeSpec.Directory(files.copiedRoot())
          : copyRoot(record, files);
      case FUSE_OVERLAYFS -> new RuntimeSpec.FuseOverlay(new RuntimeSpec.Overlay(lowers, files.upper(), files.work()),
          UserNamespaces.findTool("fuse-overlayfs", System.getenv()).orElseThrow(() -> new UnsupportedEnvironmentException(
              "the fuse-overlayfs root file system needs the program fuse-overlayfs (Debian: apt-get install fuse-overlayfs)")));
    };
  }

  private RuntimeSpec.RootFs copyRoot(ContainerRecord record, ContainerFiles files) {
    Path root = files.copiedRoot();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new BerthException("cannot create the container's root directory " + root + ": " + e, e);
    }
    List<RootfsCopy.Layer> bottomFirst = record.layers().stream().map(Digest::parse)
        .map(l -> new RootfsCopy.Layer(store.layout().layerDiff(l), store.layout().layerOwners(l))).toList();
    RootfsCopy.copy(bottomFirst, root, trees.jobs());
    return new RuntimeSpec.Directory(root);
  }

  private static void createDirs(ContainerFiles files) {
    try {
      Files.createDirectories(files.upper());
      Files.createDirectories(files.work());
    } catch (IOException e) {
      throw new BerthException("cannot create the container directory " + files.dir() + ": " + e,
          e);
    }
  }

  // ---- reading ----------------------------------------------------------------------------

  List<ContainerRecord> records() {
    List<ContainerRecord> out = new ArrayList<>();
    for (Path dir : containerDirs()) {
      recordCache.read(new ContainerFiles(dir)).ifPresent(c -> out.add(c.record()));
    }
    return out;
  }

  /** Every directory in containers/, once; the cache forgets the containers no longer there. */
  private List<Path> containerDirs() {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.layout().containersDir())) {
      entries.forEach(dirs::add);
    } catch (IOException e) {
      throw new BerthException("cannot list " + store.layout().containersDir() + ": " + e, e);
    }
    recordCache.retainOnly(dirs);
    return dirs;
  }

  ContainerFiles files(String id) {
    return new ContainerFiles(store.layout().containerDir(id));
  }

  /** The container's info as of now, with honest liveness: a gone process reads as exited. */
  ContainerInfo info(ContainerRecord r) {
    return info(r, ContainerState.read(files(r.id()).state()));
  }

  /** {@link #info(ContainerRecord)} with the monitor's state already read. */
  private ContainerInfo info(ContainerRecord r, Optional<ContainerState> state) {
    Instant created = Instant.parse(r.created());
    if (state.isEmpty()) {
      return info(r, created, ContainerInfo.State.CREATED, 0, null, null, 0);
    }
    ContainerState s = state.get();
    if (s.exited()) {
      return info(r, created, ContainerInfo.State.EXITED, orZero(s.exitCode()), s.startedAt(),
          s.finishedAt(), 0, s.oomKilled());
    }
    if (bootId.equals(r.bootId()) && (alive(s.monitorPid(), s.startedAt())
        || alive(s.pid(), s.startedAt()))) {
      // With its monitor killed from outside, the process may still run, unmonitored.
      ContainerInfo.State st = isPaused(r) ? ContainerInfo.State.PAUSED
          : ContainerInfo.State.RUNNING;
      return info(r, created, st, 0, s.startedAt(), null, s.pid());
    }
    // The machine rebooted, or monitor and process were killed without a record of the exit:
    // Docker reports such containers with exit code 255 after its daemon restarts; so do we.
    return info(r, created, ContainerInfo.State.EXITED, 255, s.startedAt(), s.startedAt(), 0);
  }

  private ContainerInfo info(ContainerRecord r, Instant created, ContainerInfo.State st,
      int exit, Instant started, Instant finished, long pid) {
    return info(r, created, st, exit, started, finished, pid, false);
  }

  private ContainerInfo info(ContainerRecord r, Instant created, ContainerInfo.State st,
      int exit, Instant started, Instant finished, long pid, boolean oomKilled) {
    boolean running = st == ContainerInfo.State.RUNNING || st == ContainerInfo.State.PAUSED;
    // Docker lists published ports while the container runs
    List<PortMapping> ports = running ? PortsFile.readIfPresent(files(r.id()).ports()) : List.of();
    return new ContainerInfo(r.id(), r.name(), r.image(), r.imageId(), r.argv(), created, st,
        exit, started, finished, pid, oomKilled, ports, r.labels(),
        r.userNamespace() == null ? HostInfo.UserNamespace.NONE : HostInfo.UserNamespace.valueOf(r.userNamespace()),
        r.rootfs() == null ? HostInfo.RootfsMode.OVERLAY : HostInfo.RootfsMode.valueOf(r.rootfs()),
        r.runOptions(), r.env(), r.workingDir(), r.user(), r.hostname(),
        running ? endpoints(r, pid) : List.of());
  }

  /**
   * Where a running container is reachable: its address on its user-defined network (from the
   * network's record), or slirp4netns's fixed address on the private network when it has
   * outbound access (a tap0 in its network namespace).
   */
  private List<ContainerInfo.Endpoint> endpoints(ContainerRecord r, long pid) {
    try {
      List<ContainerInfo.Endpoint> out = new ArrayList<>();
      if (networkOf(r) instanceof NetworkMode.Private) {
        String dev = Files.readString(Path.of("/proc/" + pid + "/net/dev"));
        if (dev.contains(" tap0:") || dev.contains("\ntap0:")) {
          out.add(new ContainerInfo.Endpoint("private", "10.0.2.100", 24, "10.0.2.2",
              macAddress(pid, "tap0"), List.of()));
        }
      }
      if (networks == null || !onUserDefinedNetwork(r)) {
        return out;
      }
      // every network it is on, the one it started with (eth0) first, as docker inspect's
      // deprecated top-level fields read the first
      record OnNetwork(dev.berth.internal.net.Network network, dev.berth.internal.net.Endpoint endpoint) {}
      networks.list().stream()
          .flatMap(n -> n.endpoints().stream().filter(e -> e.containerId().equals(r.id()))
              .map(e -> new OnNetwork(n, e)))
          .sorted(Comparator.comparing((OnNetwork o) -> o.endpoint().iface().length())
              .thenComparing(o -> o.endpoint().iface()))
          .forEach(o -> out.add(new ContainerInfo.Endpoint(o.network().name(), o.endpoint().address(),
              dev.berth.internal.net.Subnet.parse(o.network().subnet()).prefix(), o.network().gateway(),
              macAddress(pid, o.endpoint().iface()), o.endpoint().names())));
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of(); // it exited meanwhile, or its network was removed
    }
  }

  /** Read in the container's own /sys, which shows its network namespace's interfaces. */
  private static String macAddress(long pid, String iface) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/root/sys/class/net/" + iface + "/address")).strip();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /** True when {@code pid} runs and started with the container (not a reused pid). */
  private static boolean alive(long pid, Instant startedAt) {
    return pid > 0 && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant()
            .map(t -> startedAt == null || !t.isAfter(startedAt.plusSeconds(2)))
            .orElse(true))
        .orElse(false);
  }

  /**
   * The containers, newest first, as {@code docker ps [-a]}: for each, a stat of its directory
   * when nothing in it changed since the last list (see {@link RecordCache}), and a look at the
   * process only for those whose state says running.
   */
  List<ContainerInfo> list(boolean all) {
    List<ContainerInfo> out = new ArrayList<>();
    for (Path dir : containerDirs()) {
      recordCache.info(new ContainerFiles(dir), c -> info(c.record(), c.state()))
          .filter(i -> all || i.isRunning())
          .ifPresent(out::add);
    }
    out.sort((a, b) -> b.created().compareTo(a.created()));
    return out;
  }

  /** Finds by name, full id or unique id prefix, as {@code docker inspect} does. */
  Optional<ContainerRecord> find(String idOrName) {
    String q = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    Optional<String> byName = names.idOf(q);
    if (byName.isPresent()) {
      Optional<ContainerRecord> r = ContainerRecord.read(files(byName.get()));
      if (r.isPresent()) {
        return r;
      }
    }
    if (!q.matches("[0-9a-f]{1,64}")) {
      return Optional.empty();
    }
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store.layout().containersDir(),
        q + "*")) {
      dirs.forEach(d -> ids.add(d.getFileName().toString()));
    } catch (IOException e) {
      throw new BerthException("cannot list " + store.layout().containersDir() + ": " + e, e);
    }
    if (ids.size() > 1) {
      throw new BerthException("multiple containers found with provided prefix: " + q
          + "; give more of the id");
    }
    return ids.isEmpty() ? Optional.empty() : ContainerRecord.read(files(ids.get(0)));
  }

  // ---- acting -----------------------------------------------------------------------------

  /**
   * Frozen by pause(): its marker file says so without a look at the cgroup (one stat per
   * running container in ps), and the cgroup confirms it; a cgroup its monitor removes as the
   * container exits is not paused.
   */
  private boolean isPaused(ContainerRecord r) {
    if (!Files.exists(files(r.id()).paused())) {
      return false;
    }
    try {
      return cgroup(r).map(ContainerCgroup::isFrozen).orElse(false);
    } catch (BerthException gone) {
      return false;
    }
  }

  Optional<ContainerCgroup> cgroup(ContainerRecord r) {
    return ContainerCgroup.open(cgroupHost, r.id());
  }

  /** Resource use now, from the container's cgroup. */
  dev.berth.ContainerStats stats(ContainerRecord r) {
    if (!info(r).isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running: no stats to read");
    }
    dev.berth.internal.cgroup.CgroupStats s = cgroup(r).orElseThrow(() -> new BerthException(
        "container " + r.name() + " has no cgroup (this host does not let Berth create"
            + " cgroups: " + cgroupHost.problem() + ")")).stats();
    return new dev.berth.ContainerStats(s.memoryUsageBytes().orElse(-1),
        s.memoryLimitBytes().orElse(-1),
        java.time.Duration.ofNanos(s.cpuTimeNanos().orElse(0)), s.pidsCurrent().orElse(-1));
  }

  /** Freezes (true) or thaws (false) every process of the container, as docker pause. */
  void pause(ContainerRecord r, boolean paused) {
    ContainerInfo i = info(r);
    if (!i.isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running");
    }
    ContainerCgroup cg = cgroup(r).orElseThrow(() -> new BerthException("cannot pause container "
        + r.name() + ": it has no cgroup (" + cgroupHost.problem() + ")"));
    Path marker = files(r.id()).paused();
    try {
      if (paused) {
        Files.write(marker, new byte[0]);
        cg.freeze();
      } else {
        cg.thaw();
        Files.deleteIfExists(marker);
      }
    } catch (IOException e) {
      throw new BerthException("cannot " + (paused ? "pause" : "unpause") + " container "
          + r.name() + ": writing " + marker + " failed: " + e.getMessage(), e);
    }
  }

  /** Sends {@code signal} to the container's init through its monitor (never a reused pid). */
  void signal(ContainerRecord r, int signal) {
    control(r, "signal " + signal);
  }

  /** Changes the size of the container's terminal. */
  void resize(ContainerRecord r, int rows, int cols) {
    if (!r.tty()) {
      throw new BerthException("container " + r.name() + " has no terminal to resize: start it"
          + " with RunOptions.builder().tty(true)");
    }
    control(r, "resize " + rows + " " + cols);
  }

  private void control(ContainerRecord r, String command) {
    ContainerFiles files = files(r.id());
    ContainerState s = ContainerState.read(files.state()).orElse(null);
    if (s == null || !info(r).isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running");
    }
    if (!alive(s.monitorPid(), s.startedAt()) && command.startsWith("signal ")) {
      // Its monitor was killed from outside: signal the process itself, through a pidfd taken
      // before its identity is checked, so a pid reused meanwhile is never signalled.
      signalDirectly(r, s, Integer.parseInt(command.substring(7)));
      return;
    }
    ControlSocket.send(files.controlSocket(), s.monitorPid(), command);
  }

  private static void signalDirectly(ContainerRecord r, ContainerState s, int signal) {
    int pidfd = Syscalls.pidfdOpen((int) s.pid());
    try {
      if (!alive(s.pid(), s.startedAt())) {
        throw new dev.berth.ConflictException("Container " + r.id() + " is not running (its process "
            + s.pid() + " is gone)");
      }
      Syscalls.pidfdSendSignal(pidfd, signal);
    } finally {
      Syscalls.closeQuietly(pidfd);
    }
  }

  /**
   * Starts a process in the running container, as {@code docker exec}: the container's env
   * (extended by the options'), working directory and user unless the options say otherwise.
   */
  LaunchedContainer exec(ContainerRecord r, dev.berth.ExecOptions opts) {
    ContainerInfo info = info(r);
    if (!info.isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running: exec needs a running"
          + " container; start a new one with image.run");
    }
    ContainerFiles files = files(r.id());
    List<Path> view = new ArrayList<>();
    view.add(files.upper());
    view.addAll(lowerDirs(r));
    ExecUser user = ExecUser.resolve(opts.user() != null ? opts.user() : r.user(),
        LayerView.readFile(view, "/etc/passwd").orElse(null),
        LayerView.readFile(view, "/etc/group").orElse(null));
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    for (String kv : r.env()) {
      int eq = kv.indexOf('=');
      env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    env.putAll(opts.env());
    if (opts.tty()) {
      env.putIfAbsent("TERM", "xterm");
    }
    env.putIfAbsent("HOME", user.home());
    ExecSpec.Builder b = ExecSpec.builder(opts.command().toArray(String[]::new))
        .cwd(opts.workingDir() != null ? opts.workingDir() : r.workingDir())
        .user(user.uid(), user.gid(), groupsThatExist(user, opts.user() != null ? opts.user() : r.user()))
        .stdinOpen(opts.stdinOpen())
        .tty(opts.tty());
    env.forEach((k, v) -> b.env(k + "=" + v));
    return launcher.exec(files, info.pid(), b.build());
  }

  private List<Path> lowerDirs(ContainerRecord record) {
    return lowerDirs(record.layers());
  }

  private List<Path> lowerDirs(List<String> chainIdsBottomFirst) {
    List<Path> lowers = new ArrayList<>();
    for (int i = chainIdsBottomFirst.size() - 1; i >= 0; i--) {
      lowers.add(store.layout().layerDiff(Digest.parse(chainIdsBottomFirst.get(i))));
    }
    return lowers;
  }

  /** The stop signal (the image's STOPSIGNAL, else SIGTERM), then SIGKILL after {@code timeoutMillis}; returns once the monitor recorded exit. */
  void stop(ContainerRecord r, long timeoutMillis) {
    if (!info(r).isRunning()) {
      return;
    }
    trySignal(r, stopSignal(r));
    if (!awaitExit(r, timeoutMillis)) {
      trySignal(r, SIGKILL);
      awaitExit(r, 10_000);
    }
  }

  /** The image's STOPSIGNAL (postgres: SIGINT), as Docker's stop sends; else SIGTERM. */
  private int stopSignal(ContainerRecord r) {
    try {
      String signal = config(r.imageId(), r.image()).config().stopSignal();
      return signal == null || signal.isBlank() ? SIGTERM : dev.berth.internal.runtime.Signals.parse(signal);
    } catch (RuntimeException e) {
      return SIGTERM; // the image is gone (removed with force) or names no signal Berth knows
    }
  }

  private void trySignal(ContainerRecord r, int signal) {
    try {
      signal(r, signal);
    } catch (RuntimeException e) {
      // it exited between the check and the signal
    }
  }

  /** Polls the state file; the monitor writes it atomically the moment the init is reaped. */
  boolean awaitExit(ContainerRecord r, long timeoutMillis) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    long sleep = 1;
    while (info(r).isRunning()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException("interrupted while waiting for container " + r.id(), e);
      }
      sleep = Math.min(sleep * 2, 20);
    }
    return true;
  }

  /**
   * Waits until the container has run and exited, as {@code docker wait}: through CREATED (a
   * start may come from any JVM) and RUNNING; returns when its record is gone too.
   */
  void awaitStartedAndExited(ContainerRecord r) {
    long sleep = 1;
    while (true) {
      ContainerInfo i = info(r);
      if (i.state() == ContainerInfo.State.EXITED
          || i.state() == ContainerInfo.State.CREATED && !Files.exists(files(r.id()).record())) {
        return;
      }
      try {
        Thread.sleep(i.state() == ContainerInfo.State.CREATED ? 100 : sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException("interrupted while waiting for container " + r.id(), e);
      }
      sleep = Math.min(sleep * 2, 20);
    }
  }

  /**
   * Renames a container, running or not, as {@code docker rename}: the new name is taken first,
   * then the record rewritten, then the old name freed, so a crash in between leaves the
   * container reachable by one of them. Peers on its user-defined network reach it by the new
   * name at once (their hosts files are rewritten), and no longer by the old.
   *
   * @return the record under its new name
   * @throws BerthException when the name is taken (naming the container that has it), is the
   *     current one, or the container was removed
   * @throws IllegalArgumentException when the name is not Docker's {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}
   */
  ContainerRecord rename(ContainerRecord given, String newName) {
    String wanted = newName == null ? null : newName.replaceFirst("^/", "");
    if (!ContainerNames.isValid(wanted)) {
      throw new IllegalArgumentException("Invalid container name (" + newName + "), only"
          + " [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters");
    }
    ContainerFiles files = files(given.id());
    if (!Files.isDirectory(files.dir())) {
      throw gone(given);
    }
    // the start lock: no start rewrites the record (its boot id) meanwhile
    try (dev.berth.internal.store.StoreLock lock = dev.berth.internal.store.StoreLock.acquire(files.startLock())) {
      ContainerRecord r = ContainerRecord.read(files).orElseThrow(() -> gone(given));
      if (r.name().equals(wanted)) {
        throw new BerthException("Renaming a container with the same name as its current name: "
            + wanted + " is container " + r.id() + " already");
      }
      names.reserve(wanted, r.id());
      ContainerRecord renamed = r.withName(wanted);
      try {
        renamed.write(files);
      } catch (RuntimeException e) {
        names.release(wanted, r.id());
        throw e;
      }
      names.release(r.name(), r.id());
      if (networks != null && onUserDefinedNetwork(r)) {
        networks.rename(r.id(), r.name(), wanted); // its peers reach it by the new name at once
      }
      return renamed;
    }
  }

  /**
   * The container's processes, as {@code docker top}: every pid in its cgroup (or, where this
   * host gives it none, its init and that init's descendants), read from /proc.
   *
   * @throws BerthException when it is not running
   */
  dev.berth.ContainerTop top(ContainerRecord r) {
    ContainerInfo info = info(r);
    if (!info.isRunning()) {
      throw new BerthException("container " + r.name() + " (" + r.id().substring(0, 12)
          + ") is not running: top lists the processes of a running container; start it first");
    }
    List<Long> pids = cgroup(r).map(ContainerCgroup::pids).filter(p -> !p.isEmpty()).orElseGet(() -> {
      List<Long> tree = new ArrayList<>(List.of(info.pid()));
      ProcessHandle.of(info.pid()).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
      return tree;
    });
    return ProcessTable.of(pids);
  }

  /** Removes the container; a running one only with {@code force} (then it is killed). */
  void remove(ContainerRecord r, boolean force) {
    if (info(r).isRunning()) {
      if (!force) {
        throw new dev.berth.ConflictException("You cannot remove a running container " + r.id()
            + ". Stop the container before attempting removal or force remove");
      }
      trySignal(r, SIGKILL);
      awaitExit(r, 10_000);
    }
    awaitMonitorGone(r);
    cgroup(r).ifPresent(ContainerCgroup::destroy);
    if (networks != null && onUserDefinedNetwork(r)) {
      networks.detach(r.id()); // takes the networks lock and reads every network: only when there is one
    }
    deleteDir(files(r.id()));
    names.release(r.name(), r.id());
    if (r.autoRemove()) {
      volumes.removeOwnedBy(r.id());
    }
  }

  /** The record's network as a mode: parsed from the one word it keeps (none in an old record: private). */
  private static NetworkMode networkOf(ContainerRecord r) {
    return r.network() == null ? NetworkMode.PRIVATE : NetworkMode.parse(r.network());
  }

  /** Whether the container may have joined a user-defined network (an old record does not say). */
  private static boolean onUserDefinedNetwork(ContainerRecord r) {
    return r.network() == null || networkOf(r) instanceof NetworkMode.UserDefined || !r.userNetworks().isEmpty();
  }

  /** Moves the directory aside first: a JVM killed while deleting leaves no half of it here. */
  private void deleteDir(ContainerFiles files) {
    store.stage(files.dir()).ifPresent(trees::remove);
  }

  /**
   * Removes what a create killed before its record left in containers/: a directory without a
   * record that no live JVM is creating (its maker's claim is gone with the maker's session, see
   * {@link Store#claim}) and whose monitor, if it ever had one, is gone (a {@code --rm} monitor
   * removes the record before the rest). What such a create can have made outside the directory
   * goes too: its anonymous {@code --rm} volumes and its name (see {@link ContainerNameIndex#sweepStale}).
   * Cgroups and networks come after the record; mounts under the directory go with it (see
   * {@link TreeRemover}).
   *
   * @return the ids whose directories were removed
   */
  List<String> sweepHalfCreated() {
    List<String> removed = new ArrayList<>();
    for (Path dir : containerDirs()) {
      ContainerFiles files = new ContainerFiles(dir);
      String id = dir.getFileName().toString();
      if (!id.matches("[0-9a-f]{64}") || Files.exists(files.record(), java.nio.file.LinkOption.NOFOLLOW_LINKS)
          || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      // A live maker's claim, looked at before the record again: a maker that finished in
      // between wrote its record before it let go of its claim.
      if (store.isClaimed(claimName(id)) || monitorAlive(files)
          || Files.exists(files.record(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        volumes.removeOwnedBy(id);
        // none for a create cut short (the cgroup comes after the record); a remove cut short
        // by an older Berth, which deleted in place, may have left one
        ContainerCgroup.open(cgroupHost, id).ifPresent(ContainerCgroup::destroy);
        deleteDir(files);
        removed.add(id);
        LOG.log(System.Logger.Level.DEBUG, "removed " + dir + ": a container whose create was cut short");
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot remove " + dir + ", left by a create that was cut short: " + e.getMessage());
      }
    }
    names.sweepStale();
    return removed;
  }

  private static boolean monitorAlive(ContainerFiles files) {
    try {
      return ContainerState.read(files.state()).map(s -> alive(s.monitorPid(), s.startedAt())).orElse(false);
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  private void awaitMonitorGone(ContainerRecord r) {
    ContainerState.read(files(r.id()).state()).flatMap(s -> ProcessHandle.of(s.monitorPid()))
        .ifPresent(h -> {
          try {
            h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
          } catch (Exception e) {
            // a monitor that lingers does not hold the directory; go on
          }
        });
  }

  // ---- volumes and copies -----------------------------------------------------------------

  VolumeStore volumes() {
    return volumes;
  }

  /** Copies a host file or directory into the container, as {@code docker cp host ctr:path}. */
  void copyTo(ContainerRecord r, Path host, String path) {
    withRoot(r, true, root -> ContainerCopy.toContainer(root, host, path, r.name()));
  }

  /** Copies a file or directory out of the container, as {@code docker cp ctr:path host}. */
  void copyFrom(ContainerRecord r, String path, Path host) {
    withRoot(r, false, root -> ContainerCopy.fromContainer(root, path, host, r.name()));
  }

  /**
   * Gives {@code action} an fd of the container's root: a running one's through /proc (its
   * mounts included), a stopped one's as an overlay mounted for the copy (its upper dir over
   * its layers) in its own directory, so that a crash can leave nothing mounted elsewhere.
   */
  private void withRoot(ContainerRecord r, boolean write, java.util.function.IntConsumer action) {
    ContainerInfo info = info(r);
    if (info.isRunning()) {
      withDir(Path.of("/proc/" + info.pid() + "/root"), action);
      return;
    }
    if (!Linux.isRoot()) {
      withStoppedRootless(r, write, action);
      return;
    }
    ContainerFiles files = files(r.id());
    List<Path> layers = new ArrayList<>(List.of(files.upper()));
    layers.addAll(lowerDirs(r));
    Path at = files.copyViewMountPoint();
    try (dev.berth.internal.runtime.MergedView view = write
        ? dev.berth.internal.runtime.MergedView.writable(lowerDirs(r), files.upper(),
            files.work(), at)
        : dev.berth.internal.runtime.MergedView.readOnly(layers, at)) {
      withDir(view.root(), action);
    }
  }

  /**
   * Rootless, a stopped container's files: the copied root itself (copy mode; made first if
   * the container never started), else its overlay mounted by a helper job in a mount namespace
   * of its own, reached through that job's {@code /proc/PID/root}.
   */
  private void withStoppedRootless(ContainerRecord r, boolean write, java.util.function.IntConsumer action) {
    ContainerFiles files = files(r.id());
    if (setup.rootfs() == HostInfo.RootfsMode.COPY) {
      Path root = files.copiedRoot();
      if (!Files.isDirectory(root)) {
        copyRoot(r, files);
      }
      withDir(root, action);
      return;
    }
    if (rootlessFiles == null) {
      throw new UnsupportedEnvironmentException("copying files of a container that is not running needs, rootless,"
          + " the overlay_userxattr, fuse_overlayfs or copy root file system, not " + setup.rootfs()
          + " (unset BERTH_ROOTFS); or start the container and copy while it runs");
    }
    try (HelperJobs.HeldView view = rootlessFiles.stoppedContainer(lowerDirs(r), files, write)) {
      withDir(view.root(), action);
    } finally {
      RootlessFiles.removeMountPoint(files);
    }
  }

  private static void withDir(Path dir, java.util.function.IntConsumer action) {
    int fd = Syscalls.openat(dev.berth.internal.linux.Fcntl.AT_FDCWD, dir.toString(),
        dev.berth.internal.linux.Fcntl.O_PATH | dev.berth.internal.linux.Fcntl.O_DIRECTORY
            | dev.berth.internal.linux.Fcntl.O_CLOEXEC, 0);
    try {
      action.accept(fd);
    } finally {
      Syscalls.closeQuietly(fd);
    }
  }
}
