package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.NetworkMode;
import dev.berth.PortMapping;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.ContainerCgroup;
import dev.berth.internal.net.Networks;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.runtime.PortsFile;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Rfc3339;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reading containers back, from any JVM: records, lists (through {@link RecordCache}), lookups
 * by name or id, and each one's info with honest liveness.
 */
final class ContainerStates {
  private final Store store;
  private final ContainerDirs dirs;
  private final ContainerNameIndex names;
  private final CgroupHost cgroupHost;
  private final Networks networks;
  private final String bootId;
  private final RecordCache recordCache = new RecordCache();

  ContainerStates(Store store, ContainerDirs dirs, ContainerNameIndex names, CgroupHost cgroupHost,
      Networks networks, String bootId) {
    this.store = store;
    this.dirs = dirs;
    this.names = names;
    this.cgroupHost = cgroupHost;
    this.networks = networks;
    this.bootId = bootId;
  }

  List<ContainerRecord> records() {
    List<ContainerRecord> out = new ArrayList<>();
    for (Path dir : containerDirs()) {
      recordCache.read(new ContainerFiles(dir)).ifPresent(c -> out.add(c.record()));
    }
    return out;
  }

  /** Every directory in containers/, once; the cache forgets the containers no longer there. */
  List<Path> containerDirs() {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(store.layout().containersDir())) {
      entries.forEach(dirs::add);
    } catch (IOException e) {
      throw new BerthException("cannot list " + store.layout().containersDir() + ": " + e, e);
    }
    recordCache.retainOnly(dirs);
    return dirs;
  }

  /** The container's info as of now, with honest liveness: a gone process reads as exited. */
  ContainerInfo info(ContainerRecord r) {
    return info(r, ContainerState.read(dirs.files(r.id()).state()));
  }

  /** Whether it runs (or is paused) now, as {@link #info} says, without making the info. */
  boolean isRunning(ContainerRecord r) {
    return ContainerState.read(dirs.files(r.id()).state()).map(s -> isRunning(r, s)).orElse(false);
  }

  /** {@link #isRunning(ContainerRecord)} with its monitor's state already read. */
  boolean isRunning(ContainerRecord r, ContainerState s) {
    return !s.exited() && runs(r, s);
  }

  /** A state not exited runs while its monitor or process does, in this boot. */
  private boolean runs(ContainerRecord r, ContainerState s) {
    return bootId.equals(r.bootId()) && (alive(s.monitorPid(), s.startedAt()) || alive(s.pid(), s.startedAt()));
  }

  /** {@link #info(ContainerRecord)} with the monitor's state already read. */
  private ContainerInfo info(ContainerRecord r, Optional<ContainerState> state) {
    Instant created = Rfc3339.parse(r.created());
    if (state.isEmpty()) {
      return info(r, created, ContainerInfo.State.CREATED, 0, null, null, 0);
    }
    ContainerState s = state.get();
    if (s.exited()) {
      return info(r, created, ContainerInfo.State.EXITED, orZero(s.exitCode()), s.startedAt(),
          s.finishedAt(), 0, s.oomKilled());
    }
    if (runs(r, s)) {
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
    List<PortMapping> ports = running ? PortsFile.readIfPresent(dirs.files(r.id()).ports()) : List.of();
    return PublicValues.get().containerInfo(r.id(), r.name(), r.image(), r.imageId(), r.argv(), created, st,
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
      if (ContainerNetworking.networkOf(r) instanceof NetworkMode.Private) {
        String dev = Files.readString(Path.of("/proc/" + pid + "/net/dev"));
        if (dev.contains(" tap0:") || dev.contains("\ntap0:")) {
          out.add(new ContainerInfo.Endpoint("private", "10.0.2.100", 24, "10.0.2.2",
              macAddress(pid, "tap0"), List.of()));
        }
      }
      if (networks == null || !ContainerNetworking.onUserDefinedNetwork(r)) {
        return out;
      }
      // every network it is on, the one it started with (eth0) first, as docker inspect's
      // deprecated top-level fields read the first
      record OnNetwork(dev.berth.internal.net.Network network, dev.berth.internal.net.Endpoint endpoint) {}
      networks.list().stream()
          .flatMap(n -> n.endpoints().stream().filter(e -> e.containerId().equals(r.id()))
              .map(e -> new OnNetwork(n, e)))
          .sorted((a, b) -> dev.berth.internal.net.Endpoint.BY_INTERFACE.compare(a.endpoint(), b.endpoint()))
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
  static boolean alive(long pid, Instant startedAt) {
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
      Optional<ContainerRecord> r = ContainerRecord.read(dirs.files(byName.get()));
      if (r.isPresent()) {
        return r;
      }
    }
    if (!q.matches("[0-9a-f]{1,64}")) {
      return Optional.empty();
    }
    List<String> ids = new ArrayList<>();
    try (DirectoryStream<Path> matches = Files.newDirectoryStream(store.layout().containersDir(),
        q + "*")) {
      matches.forEach(d -> ids.add(d.getFileName().toString()));
    } catch (IOException e) {
      throw new BerthException("cannot list " + store.layout().containersDir() + ": " + e, e);
    }
    if (ids.size() > 1) {
      throw new BerthException("multiple containers found with provided prefix: " + q
          + "; give more of the id");
    }
    return ids.isEmpty() ? Optional.empty() : ContainerRecord.read(dirs.files(ids.get(0)));
  }

  /**
   * Frozen by pause(): its marker file says so without a look at the cgroup (one stat per
   * running container in ps), and the cgroup confirms it; a cgroup its monitor removes as the
   * container exits is not paused.
   */
  private boolean isPaused(ContainerRecord r) {
    if (!Files.exists(dirs.files(r.id()).paused())) {
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
}
