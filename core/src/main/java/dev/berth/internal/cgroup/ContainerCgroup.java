package dev.berth.internal.cgroup;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A container's cgroup: one dir on v2, one per used hierarchy on v1 (plus the unified one on a
 * hybrid host). Java creates, limits, watches and removes it; the native helper only puts the
 * container's process in each of {@link #joinPaths()} before exec: the v2 dir at clone
 * ({@code CLONE_INTO_CGROUP}), v1 dirs by writing {@code cgroup.procs}, or, when the dirs were
 * {@link #adopt adopted} from a spare, by cloning it from a zygote that sits in them already.
 *
 * <pre>{@code
 * CgroupLimits limits = CgroupLimits.builder().memory(256 << 20).cpus(1.5).build();
 * ContainerCgroup cgroup = ContainerCgroup.create(containerId, limits, false);
 * helperConfig.cgroupDirs(cgroup.joinPaths());
 * ...
 * cgroup.destroy();
 * }</pre>
 *
 * <p>Several JVMs may handle the same container: {@link #open(String)} finds it again by id.
 * Making the dirs and writing the limits is {@link CgroupMaker}'s; this class owns the made
 * cgroup's life: find, watch, freeze, signal, destroy, sweep.
 */
public final class ContainerCgroup {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  /** How long freezing, thawing, killing and removal may take before they fail. */
  static final long TIMEOUT_MILLIS = 10_000;

  private final String id;
  private final List<CgroupDir> dirs;
  private final List<String> notApplied;

  private ContainerCgroup(String id, List<CgroupDir> dirs, List<String> notApplied) {
    this.id = id;
    this.dirs = List.copyOf(dirs);
    this.notApplied = List.copyOf(notApplied);
  }

  /** {@link #create(CgroupHost, String, CgroupLimits, boolean)} on {@link Cgroups#detect()}. */
  public static ContainerCgroup create(String containerId, CgroupLimits limits,
      boolean bestEffort) {
    return create(Cgroups.detect(), containerId, limits, bestEffort);
  }

  /**
   * Creates the container's cgroup dirs on this host and writes the limits. Without limits on a
   * host where this process may not create cgroups, returns a handle with no dirs.
   *
   * @param bestEffort when a limit cannot be applied: true to go on and list it in
   *     {@link #notApplied()}, false to fail
   * @throws IllegalArgumentException when the id is not a valid cgroup name
   * @throws UnsupportedEnvironmentException when a limit cannot be applied and not bestEffort;
   *     the message says why and what to do. Nothing is left behind
   * @throws BerthException when the container's cgroup already exists or cgroupfs refuses a write
   */
  public static ContainerCgroup create(CgroupHost host, String containerId, CgroupLimits limits,
      boolean bestEffort) {
    return create(host, containerId, limits, bestEffort, null);
  }

  /**
   * {@link #create(CgroupHost, String, CgroupLimits, boolean)}, but the v1 dirs are a spare's,
   * renamed to the container's with the spare's zygote inside: no process has to be moved into
   * them (see {@link SpareCgroup}). On a failure the renamed dirs are destroyed, zygote and all.
   */
  public static ContainerCgroup adopt(CgroupHost host, String containerId, CgroupLimits limits,
      boolean bestEffort, SpareCgroup spare) {
    return create(host, containerId, limits, bestEffort, spare);
  }

  private static ContainerCgroup create(CgroupHost host, String containerId, CgroupLimits limits,
      boolean bestEffort, SpareCgroup spare) {
    checkId(containerId);
    List<CgroupDir> planned = host.canCreate() ? host.layout(containerId) : List.of();
    List<String> unmet = CgroupMaker.unmet(host, planned, limits, Map.of());
    if (!unmet.isEmpty() && !bestEffort) {
      throw CgroupMaker.unsupported(containerId, unmet);
    }
    List<CgroupDir> made = new ArrayList<>();
    try {
      unmet = CgroupMaker.makeAndApply(host, planned, limits, made, spare);
    } catch (RuntimeException e) {
      removeQuietly(containerId, made, e);
      throw e;
    }
    if (!unmet.isEmpty() && !bestEffort) {
      new ContainerCgroup(containerId, made, List.of()).destroy();
      throw CgroupMaker.unsupported(containerId, unmet);
    }
    return new ContainerCgroup(containerId, made, unmet);
  }

  /** {@link #open(CgroupHost, String)} on {@link Cgroups#detect()}. */
  public static Optional<ContainerCgroup> open(String containerId) {
    return open(Cgroups.detect(), containerId);
  }

  /**
   * Finds the cgroup of a container created earlier, by this or another JVM.
   *
   * @return empty when the container has no cgroup dir on this host
   * @throws IllegalArgumentException when the id is not a valid cgroup name
   */
  public static Optional<ContainerCgroup> open(CgroupHost host, String containerId) {
    checkId(containerId);
    List<CgroupDir> found = host.layout(containerId).stream()
        .filter(CgroupDir::exists)
        .map(d -> d.unified() ? new CgroupDir(d.path(), true, enabledOn(d.path())) : d)
        .toList();
    return found.isEmpty() ? Optional.empty()
        : Optional.of(new ContainerCgroup(containerId, found, List.of()));
  }

  /** {@link #sweep(CgroupHost, Predicate)} on {@link Cgroups#detect()}. */
  public static List<String> sweep(Predicate<String> liveContainerIds) {
    return sweep(Cgroups.detect(), liveContainerIds);
  }

  /**
   * Destroys the Berth cgroups of containers that no longer exist: those whose id the predicate
   * rejects. A container being created must count as live.
   *
   * @return the ids whose cgroups were removed, sorted
   */
  public static List<String> sweep(CgroupHost host, Predicate<String> liveContainerIds) {
    Set<String> ids = new TreeSet<>();
    host.berthParents().forEach(parent -> ids.addAll(childNames(parent)));
    List<String> removed = new ArrayList<>();
    for (String id : ids) {
      if (!liveContainerIds.test(id)) {
        open(host, id).ifPresent(ContainerCgroup::destroy);
        removed.add(id);
      }
    }
    return removed;
  }

  /** @return the container id this cgroup belongs to */
  public String id() {
    return id;
  }

  /** @return every cgroup dir the container's first process must join; empty without cgroups */
  public List<Path> joinPaths() {
    return dirs.stream().map(CgroupDir::path).toList();
  }

  /** @return the limits that were asked for but not applied (best effort), each with why */
  public List<String> notApplied() {
    return notApplied;
  }

  /** @return the ids of the processes in the container's cgroup, sorted */
  public List<Long> pids() {
    return dirs.stream().flatMap(d -> d.pids().stream()).distinct().sorted().toList();
  }

  /**
   * @return current memory, CPU and pids use; a value is empty where this host has no
   *     controller to account it
   * @throws BerthException when the cgroup was destroyed
   */
  public CgroupStats stats() {
    return new CgroupStats(
        read(d -> d.serves("memory"), CgroupDir::memoryUsage),
        read(d -> d.serves("memory"), CgroupDir::memoryLimit),
        read(d -> d.unified() || d.serves("cpuacct"), CgroupDir::cpuNanos),
        read(d -> d.serves("pids"), CgroupDir::pidsCurrent));
  }

  /**
   * @return whether the kernel OOM-killed a process of this container; ask before
   *     {@link #destroy()}, which removes the counter
   */
  public boolean oomKilled() {
    return dirs.stream().filter(d -> d.serves("memory") && d.exists())
        .anyMatch(CgroupDir::oomKilled);
  }

  /**
   * Stops every process of the container, and returns once all are stopped.
   *
   * @throws UnsupportedEnvironmentException when this host has no freezer for the container
   * @throws BerthException when the processes do not stop in time; they are thawed again
   */
  public void freeze() {
    CgroupDir freezer = freezer();
    try {
      freezer.setFrozen(true, TIMEOUT_MILLIS);
    } catch (BerthException e) {
      freezer.setFrozen(false, TIMEOUT_MILLIS);
      throw e;
    }
  }

  /** Resumes the processes stopped by {@link #freeze()}. */
  public void thaw() {
    freezer().setFrozen(false, TIMEOUT_MILLIS);
  }

  /** @return whether the container is frozen */
  public boolean isFrozen() {
    return freezer().isFrozen();
  }

  /**
   * Sends a signal to every process in the container. SIGKILL goes through cgroup.kill where the
   * kernel has it; otherwise the cgroup is frozen while its pids are read and signalled, so no
   * pid can exit and be reused by a process outside it meanwhile.
   *
   * @param signal a signal number, e.g. 15 (SIGTERM) or 9 (SIGKILL)
   * @throws IllegalArgumentException when signal is not a signal number
   * @throws UnsupportedEnvironmentException when the container has no cgroup on this host
   */
  public void killAll(int signal) {
    Signals.check(signal);
    if (dirs.isEmpty()) {
      throw new UnsupportedEnvironmentException("container " + id + " has no cgroup on this host,"
          + " so its processes cannot be found; signal its main process instead");
    }
    if (dirs.stream().noneMatch(CgroupDir::exists)) {
      return;
    }
    Optional<CgroupDir> kernelKill = dirs.stream().filter(CgroupDir::canKillAll).findFirst();
    if (signal == Signals.SIGKILL && kernelKill.isPresent()) {
      kernelKill.get().killAll();
      return;
    }
    Optional<CgroupDir> freezer = dirs.stream().filter(d -> d.exists() && d.canFreeze())
        .findFirst().filter(d -> !d.isFrozen() && tryFreeze(d));
    try {
      Signals.send(signal, pids());
    } finally {
      freezer.ifPresent(d -> d.setFrozen(false, TIMEOUT_MILLIS));
    }
  }

  /**
   * Kills every process of the container, waits until they are gone and removes the cgroup
   * dirs. Does nothing when they are already gone.
   *
   * @throws BerthException when a process survives SIGKILL or a dir cannot be removed in time
   */
  public void destroy() {
    if (dirs.stream().noneMatch(CgroupDir::exists)) {
      return;
    }
    killAll(Signals.SIGKILL);
    // v1 holds killed tasks of a frozen cgroup until it is thawed
    dirs.stream().filter(d -> d.exists() && d.canFreeze() && d.isFrozen()).findFirst()
        .ifPresent(d -> d.setFrozen(false, TIMEOUT_MILLIS));
    if (!CgroupDir.poll(TIMEOUT_MILLIS, killedAll())) {
      throw new BerthException("processes " + pids() + " of container " + id + " survived SIGKILL"
          + " for " + TIMEOUT_MILLIS + " ms (stuck in uninterruptible I/O?); call destroy() again"
          + " later");
    }
    for (CgroupDir dir : dirs) {
      dir.remove(TIMEOUT_MILLIS);
    }
  }

  @Override
  public String toString() {
    return "ContainerCgroup[" + id + " " + joinPaths()
        + (notApplied.isEmpty() ? "" : " notApplied=" + notApplied) + "]";
  }

  /** @return a condition that holds once the cgroup is empty, killing again now and then */
  private BooleanSupplier killedAll() {
    long[] lastKill = {System.nanoTime()};
    return () -> {
      if (pids().isEmpty()) {
        return true;
      }
      // a process forked between reading cgroup.procs and the signal needs another round
      if (System.nanoTime() - lastKill[0] > 100_000_000) {
        killAll(Signals.SIGKILL);
        lastKill[0] = System.nanoTime();
      }
      return false;
    };
  }

  private static boolean tryFreeze(CgroupDir dir) {
    try {
      dir.setFrozen(true, TIMEOUT_MILLIS);
      return true;
    } catch (BerthException e) {
      dir.setFrozen(false, TIMEOUT_MILLIS);
      return false;
    }
  }

  private CgroupDir freezer() {
    return dirs.stream().filter(CgroupDir::canFreeze).findFirst().orElseThrow(() ->
        new UnsupportedEnvironmentException("container " + id + " cannot be frozen: it has no"
            + " freezer on this host (cgroup v1 needs the freezer controller mounted; cgroup v2"
            + " needs Linux 5.2+ for cgroup.freeze)"));
  }

  private OptionalLong read(Predicate<CgroupDir> able, Function<CgroupDir, OptionalLong> value) {
    return dirs.stream().filter(able).findFirst().map(value).orElse(OptionalLong.empty());
  }

  private static void removeQuietly(String id, List<CgroupDir> made, RuntimeException failure) {
    try {
      new ContainerCgroup(id, made, List.of()).destroy();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static Set<String> enabledOn(Path dir) {
    Set<String> controllers = Cgroups.readControllers(dir);
    controllers.retainAll(CgroupHost.V2_USED);
    return controllers;
  }

  private static List<String> childNames(Path parent) {
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> ID.matcher(n).matches() && !SpareCgroup.isSpare(n)).toList();
    } catch (IOException e) {
      throw new BerthException("listing " + parent + " failed: " + CgroupFiles.reason(e), e);
    }
  }

  private static void checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("container id '" + id + "' cannot name a cgroup: use 1"
          + " to 128 letters, digits, '_' or '-', starting with a letter or digit");
    }
  }
}
