package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.RunOptions;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.ContainerCgroup;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.MonitorOptions;
import dev.berth.internal.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/**
 * Starting a created or exited container, as {@code docker start}: its cgroup (in a spare's when
 * there is one), its specs, and the helper that becomes its monitor.
 */
final class ContainerStarter {

  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ContainerSpecs specs;
  private final ContainerNetworking networking;
  private final ContainerNameIndex names;
  private final HelperLauncher launcher;
  private final CgroupHost cgroupHost;
  private final SparePool spares;
  private final String bootId;

  ContainerStarter(ContainerDirs dirs, ContainerStates states, ContainerSpecs specs, ContainerNetworking networking,
      ContainerNameIndex names, HelperLauncher launcher, CgroupHost cgroupHost, SparePool spares, String bootId) {
    this.dirs = dirs;
    this.states = states;
    this.specs = specs;
    this.networking = networking;
    this.names = names;
    this.launcher = launcher;
    this.cgroupHost = cgroupHost;
    this.spares = spares;
    this.bootId = bootId;
  }

  /**
   * A started container, with the monitor's process when this JVM started it (null when it was
   * running already).
   */
  record Started(ContainerRecord record, ContainerFiles files, LaunchedContainer launched) {}

  /**
   * Starts a created or exited container, as {@code docker start}: same directory, upper dir,
   * name and log (appended to); the monitor replaces the state. Every option comes from the
   * record, so the JVM that created the container need not be this one. A running container is
   * left as it is ({@code launched} null).
   *
   * @throws BerthException when the container was removed
   */
  Started start(ContainerRecord given) {
    // One start at a time, in every JVM: the second finds it running.
    return dirs.underStartLock(given, this::startLocked);
  }

  /**
   * Starts a container this JVM has just created, as {@code docker run}: under the same start
   * lock, but neither its record (just written) nor its state is read back, unless a start in
   * another JVM came first and left a state file; that is then {@link #start}'s case.
   */
  Started startCreated(ContainerRecord created) {
    ContainerFiles files = dirs.files(created.id());
    return dirs.underStartLockAsWritten(created, r -> Files.exists(files.state())
        ? startLocked(ContainerRecord.read(files).orElseThrow(() -> ContainerDirs.gone(r)))
        : launch(r, files, r.runOptions()));
  }

  private Started startLocked(ContainerRecord found) {
    ContainerFiles files = dirs.files(found.id());
    Optional<ContainerState> state = ContainerState.read(files.state());
    if (state.filter(s -> states.isRunning(found, s)).isPresent()) {
      return new Started(found, files, null);
    }
    ContainerRecord record = state.isPresent() ? clearLastRun(found, files, state.get()) : found;
    return launch(record, files, record.runOptions());
  }

  /**
   * What the last run left that the next must not find: its monitor (still removing the
   * cgroup), its cgroup, the pause marker, its place on a user-defined network, and a boot id
   * from before a reboot (with which it would never read as running).
   */
  private ContainerRecord clearLastRun(ContainerRecord r, ContainerFiles files, ContainerState last) {
    ContainerDirs.awaitMonitorGone(last);
    states.cgroup(r).ifPresent(ContainerCgroup::destroy);
    try {
      Files.deleteIfExists(files.paused());
    } catch (IOException e) {
      throw new BerthException("cannot start container " + r.name() + ": removing " + files.paused()
          + " failed: " + e.getMessage(), e);
    }
    networking.detach(r);
    if (!bootId.equals(r.bootId())) {
      r = r.withBootId(bootId);
      r.write(files);
    }
    return r;
  }

  private Started launch(ContainerRecord record, ContainerFiles files, RunOptions opts) {
    String id = record.id();
    ContainerCgroup cgroup = null;
    SparePool.Spare spare = null;
    try {
      NetworkSpec net = networking.networkSpec(opts, record);
      spare = spares.claim(net.mode() == NetworkSpec.Mode.PRIVATE);
      cgroup = spare != null
          ? ContainerCgroup.adopt(cgroupHost, id, ContainerSpecs.cgroupLimits(opts.limits()), opts.limitsBestEffort(), spare.cgroup())
          : ContainerCgroup.create(cgroupHost, id, ContainerSpecs.cgroupLimits(opts.limits()), opts.limitsBestEffort());
      cgroup.notApplied().forEach(l -> Log.warning("container " + record.name() + " runs without " + l));
      LaunchedContainer launched = launcher.launch(specs.runtimeSpec(record, files, opts), files.dir(),
          new MonitorOptions(!opts.detach(), opts.autoRemove(), cgroup.joinPaths(),
              opts.removeWithJvm() ? ProcessHandle.current().pid() : 0),
          net, spare == null ? null : spare.helper());
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
        dirs.deleteDir(files);
      }
      throw e;
    } finally {
      spares.refill(); // now that this container is up (see SparePool)
    }
  }
}
