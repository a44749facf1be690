package dev.berth.internal.engine;

import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.ContainerCgroup;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Log;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removing containers, as {@code docker rm}, and what creates cut short left behind: everything
 * a container has outside its directory (cgroup, networks, name, {@code --rm} volumes) goes
 * with it.
 */
final class ContainerRemover {

  private final Store store;
  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ContainerControl control;
  private final ContainerNetworking networking;
  private final ContainerNameIndex names;
  private final VolumeStore volumes;
  private final CgroupHost cgroupHost;

  ContainerRemover(Store store, ContainerDirs dirs, ContainerStates states, ContainerControl control,
      ContainerNetworking networking, ContainerNameIndex names, VolumeStore volumes, CgroupHost cgroupHost) {
    this.store = store;
    this.dirs = dirs;
    this.states = states;
    this.control = control;
    this.networking = networking;
    this.names = names;
    this.volumes = volumes;
    this.cgroupHost = cgroupHost;
  }

  /**
   * Removes the container; a running one only with {@code force} (then it is killed). Under its
   * start lock: a start in flight in any JVM ends first (the container then runs, and only
   * {@code force} removes it), and a start that comes after finds it gone instead of making a
   * cgroup for a removed container that no record would own.
   */
  void remove(ContainerRecord given, boolean force) {
    if (!dirs.underStartLockIfThere(given.id(), () -> removeLocked(given, force))) {
      removeLocked(given, force); // gone (autoRemove, another JVM): what it had outside its dir
    }
  }

  private void removeLocked(ContainerRecord r, boolean force) {
    // read once: a kill below records the exit, but its monitor (what is awaited) stays the same
    Optional<ContainerState> state = ContainerState.read(dirs.files(r.id()).state());
    if (state.filter(s -> states.isRunning(r, s)).isPresent()) {
      if (!force) {
        throw new dev.berth.ConflictException("You cannot remove a running container " + r.id()
            + ". Stop the container before attempting removal or force remove");
      }
      control.trySignal(r, ContainerControl.SIGKILL);
      control.awaitExit(r, 10_000);
    }
    state.ifPresent(ContainerDirs::awaitMonitorGone);
    states.cgroup(r).ifPresent(ContainerCgroup::destroy);
    networking.detach(r);
    dirs.deleteDir(dirs.files(r.id()));
    names.release(r.name(), r.id());
    if (r.autoRemove()) {
      volumes.removeOwnedBy(r.id());
    }
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
    for (Path dir : states.containerDirs()) {
      ContainerFiles files = new ContainerFiles(dir);
      String id = dir.getFileName().toString();
      if (!id.matches("[0-9a-f]{64}") || Files.exists(files.record(), LinkOption.NOFOLLOW_LINKS)
          || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      // A live maker's claim, looked at before the record again: a maker that finished in
      // between wrote its record before it let go of its claim.
      if (store.isClaimed(ContainerDirs.claimName(id)) || monitorAlive(files)
          || Files.exists(files.record(), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        volumes.removeOwnedBy(id);
        // none for a create cut short (the cgroup comes after the record); a remove cut short
        // by an older Berth, which deleted in place, may have left one
        ContainerCgroup.open(cgroupHost, id).ifPresent(ContainerCgroup::destroy);
        dirs.deleteDir(files);
        removed.add(id);
        Log.debug("removed " + dir + ": a container whose create was cut short");
      } catch (RuntimeException e) {
        Log.warning("cannot remove " + dir + ", left by a create that was cut short: " + e.getMessage());
      }
    }
    names.sweepStale();
    return removed;
  }

  private static boolean monitorAlive(ContainerFiles files) {
    try {
      return ContainerState.read(files.state()).map(s -> ContainerStates.alive(s.monitorPid(), s.startedAt())).orElse(false);
    } catch (RuntimeException unreadable) {
      return false;
    }
  }
}
