package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.RunOptions;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.Manifests;
import dev.berth.Digest;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerNames;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.runtime.ExecUser;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.IdMapping;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.LayerView;
import dev.berth.internal.runtime.ProcessSpec;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.runtime.UserNamespaces;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLock;
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

  ContainerManager(Store store, HelperLauncher launcher, HostSetup setup, TreeRemover trees) {
    this.store = store;
    this.launcher = launcher;
    this.setup = setup;
    this.trees = trees;
  }

  /** A started container, with the monitor's process when this JVM started it. */
  record Started(ContainerRecord record, ContainerFiles files, LaunchedContainer launched) {}

  Started run(ImageRecord image, String imageName, RunOptions opts) {
    ImageConfig config = Manifests.parseConfig(store.readBlob(Digest.parse(image.id())),
        "config of " + imageName);
    String id = ContainerNames.newId();
    ContainerFiles files = new ContainerFiles(store.layout().containerDir(id));
    String name;
    try (StoreLock lock = store.lock("containers")) {
      name = chooseName(opts.name());
      createDirs(files);
      String hostname = opts.hostname() != null ? opts.hostname() : id.substring(0, 12);
      ProcessSpec process = ProcessSpec.resolve(config.config(), opts, hostname, imageName);
      new ContainerRecord(id, name, imageName, image.id(), Instant.now().toString(),
          process.argv(), process.env(), process.workingDir(), process.user(), hostname,
          opts.labels(), image.chainIds(), opts.tty(), opts.stdinOpen(), opts.autoRemove(),
          bootId, setup.userNamespace().name(), setup.rootfs().name()).write(files);
    }
    ContainerRecord record = ContainerRecord.read(files).orElseThrow();
    try {
      LaunchedContainer launched = launcher.launch(runtimeSpec(record, files), files.dir());
      return new Started(record, files, launched);
    } catch (RuntimeException e) {
      if (opts.autoRemove()) {
        deleteDir(files);
      }
      throw e;
    }
  }

  private RuntimeSpec runtimeSpec(ContainerRecord record, ContainerFiles files) {
    List<Path> lowers = new ArrayList<>();
    for (int i = record.layers().size() - 1; i >= 0; i--) {
      Digest layer = Digest.parse(record.layers().get(i));
      requireFormat(layer, record);
      lowers.add(store.layout().layerDiff(layer));
    }
    ExecUser user = ExecUser.resolve(record.user(),
        LayerView.readFile(lowers, "/etc/passwd").orElse(null),
        LayerView.readFile(lowers, "/etc/group").orElse(null));
    ProcessSpec process = new ProcessSpec(record.argv(), record.env(), record.workingDir(),
        record.user()).withHome(user.home());
    RuntimeSpec.Builder b = RuntimeSpec.builder(rootfs(record, lowers, files), process.argv().toArray(String[]::new))
        .idMapping(setup.idMapping())
        .cwd(process.workingDir())
        .user(user.uid(), user.gid(), groupsThatExist(user, record))
        .hostname(record.hostname())
        .stdinOpen(record.stdinOpen());
    process.env().forEach(b::env);
    return b.build();
  }

  /** A layer unpacked for another setup has other owners and xattrs: using it would go wrong quietly. */
  private void requireFormat(Digest layer, ContainerRecord record) {
    String format = store.layerMeta(layer).map(Store.LayerMeta::format).orElse(null);
    if (format != null && !format.equals(setup.layerFormat())) {
      throw new UnsupportedEnvironmentException("Layer " + layer + " of " + record.image() + " in " + store.layout().home()
          + " was unpacked as \"" + format + "\" but this engine needs \"" + setup.layerFormat()
          + "\" (the store was filled as another user or id setup): use another BERTH_HOME, or remove this one and pull again");
    }
  }

  /**
   * Rootless, only mapped ids exist: the user and group must, extra groups that do not are
   * dropped (root in many images is in groups that a single-id namespace lacks).
   *
   * @throws UnsupportedEnvironmentException naming the user and what to do, when it cannot exist
   */
  private Integer[] groupsThatExist(ExecUser user, ContainerRecord record) {
    IdMapping ids = setup.idMapping();
    if (!ids.hasUid(user.uid()) || !ids.hasGid(user.gid())) {
      throw new UnsupportedEnvironmentException("The container's user \"" + record.user() + "\" (uid " + user.uid()
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
      case COPY -> copyRoot(record, files);
      case FUSE_OVERLAYFS -> new RuntimeSpec.FuseOverlay(new RuntimeSpec.Overlay(lowers, files.upper(), files.work()),
          UserNamespaces.findTool("fuse-overlayfs", System.getenv()).orElseThrow(() -> new UnsupportedEnvironmentException(
              "the fuse-overlayfs root file system needs the program fuse-overlayfs (Debian: apt-get install fuse-overlayfs)")));
    };
  }

  private RuntimeSpec.RootFs copyRoot(ContainerRecord record, ContainerFiles files) {
    Path root = files.dir().resolve("root");
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

  private String chooseName(String wanted) {
    List<String> names = records().stream().map(ContainerRecord::name).toList();
    if (wanted == null) {
      return ContainerNames.generate(names::contains);
    }
    for (ContainerRecord r : records()) {
      if (r.name().equals(wanted)) {
        throw new BerthException("Conflict. The container name \"/" + wanted
            + "\" is already in use by container \"" + r.id()
            + "\". You have to remove (or rename) that container to be able to reuse that name.");
      }
    }
    return wanted;
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
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(store.layout().containersDir())) {
      for (Path dir : dirs) {
        ContainerRecord.read(new ContainerFiles(dir)).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new BerthException("cannot list " + store.layout().containersDir() + ": " + e, e);
    }
    return out;
  }

  ContainerFiles files(String id) {
    return new ContainerFiles(store.layout().containerDir(id));
  }

  /** The container's info as of now, with honest liveness: a gone process reads as exited. */
  ContainerInfo info(ContainerRecord r) {
    ContainerFiles files = files(r.id());
    Optional<ContainerState> state = ContainerState.read(files.state());
    Instant created = Instant.parse(r.created());
    if (state.isEmpty()) {
      return info(r, created, ContainerInfo.State.CREATED, 0, null, null, 0);
    }
    ContainerState s = state.get();
    if (s.exited()) {
      return info(r, created, ContainerInfo.State.EXITED, orZero(s.exitCode()), s.startedAt(),
          s.finishedAt(), 0);
    }
    if (!bootId.equals(r.bootId()) || !monitorAlive(s)) {
      // The machine rebooted, or the monitor was killed: nothing can be running. Docker reports
      // such containers with exit code 255 after its daemon restarts; so do we.
      return info(r, created, ContainerInfo.State.EXITED, 255, s.startedAt(),
          s.startedAt(), 0);
    }
    return info(r, created, ContainerInfo.State.RUNNING, 0, s.startedAt(), null, s.pid());
  }

  private static ContainerInfo info(ContainerRecord r, Instant created, ContainerInfo.State st,
      int exit, Instant started, Instant finished, long pid) {
    return new ContainerInfo(r.id(), r.name(), r.image(), r.imageId(), r.argv(), created, st,
        exit, started, finished, pid, false, List.of(), r.labels(),
        r.userNamespace() == null ? HostInfo.UserNamespace.NONE : HostInfo.UserNamespace.valueOf(r.userNamespace()),
        r.rootfs() == null ? HostInfo.RootfsMode.OVERLAY : HostInfo.RootfsMode.valueOf(r.rootfs()));
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static boolean monitorAlive(ContainerState s) {
    return ProcessHandle.of(s.monitorPid()).map(ProcessHandle::isAlive).orElse(false);
  }

  List<ContainerInfo> list(boolean all) {
    return records().stream().map(this::info)
        .filter(i -> all || i.isRunning())
        .sorted(Comparator.comparing(ContainerInfo::created).reversed())
        .toList();
  }

  /** Finds by full id, unique id prefix, or name, as {@code docker inspect} does. */
  Optional<ContainerRecord> find(String idOrName) {
    String q = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    List<ContainerRecord> all = records();
    for (ContainerRecord r : all) {
      if (r.id().equals(q) || r.name().equals(q)) {
        return Optional.of(r);
      }
    }
    List<ContainerRecord> byPrefix = all.stream().filter(r -> r.id().startsWith(q)).toList();
    if (byPrefix.size() > 1) {
      throw new BerthException("multiple containers found with provided prefix: " + q
          + "; give more of the id");
    }
    return byPrefix.stream().findFirst();
  }

  // ---- acting -----------------------------------------------------------------------------

  /** Sends {@code signal} to the container's init, when it runs. */
  void signal(ContainerRecord r, int signal) {
    ContainerInfo i = info(r);
    if (!i.isRunning()) {
      throw new BerthException("Container " + r.id() + " is not running");
    }
    Syscalls.kill((int) i.pid(), signal);
  }

  /** SIGTERM, then SIGKILL after {@code timeoutMillis}; returns once the monitor recorded exit. */
  void stop(ContainerRecord r, long timeoutMillis) {
    if (!info(r).isRunning()) {
      return;
    }
    trySignal(r, SIGTERM);
    if (!awaitExit(r, timeoutMillis)) {
      trySignal(r, SIGKILL);
      awaitExit(r, 10_000);
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

  /** Removes the container; a running one only with {@code force} (then it is killed). */
  void remove(ContainerRecord r, boolean force) {
    if (info(r).isRunning()) {
      if (!force) {
        throw new BerthException("You cannot remove a running container " + r.id()
            + ". Stop the container before attempting removal or force remove");
      }
      trySignal(r, SIGKILL);
      awaitExit(r, 10_000);
    }
    awaitMonitorGone(r);
    deleteDir(files(r.id()));
  }

  private void deleteDir(ContainerFiles files) {
    trees.remove(files.dir());
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

}
