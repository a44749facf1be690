package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.ContainerCgroup;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.runtime.ControlSocket;
import dev.berth.internal.runtime.RuntimeProcess;
import dev.berth.internal.runtime.ExecUser;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.LayerView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What is done to a container that runs: signals (through its monitor), stop, pause, terminal
 * size, exec, stats, top, and waiting for its exit.
 */
final class ContainerControl {
  static final int SIGKILL = 9;
  private static final int SIGTERM = 15;

  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ContainerSpecs specs;
  private final ImageConfigs configs;
  private final HelperLauncher launcher;
  private final CgroupHost cgroupHost;

  ContainerControl(ContainerDirs dirs, ContainerStates states, ContainerSpecs specs, ImageConfigs configs,
      HelperLauncher launcher, CgroupHost cgroupHost) {
    this.dirs = dirs;
    this.states = states;
    this.specs = specs;
    this.configs = configs;
    this.launcher = launcher;
    this.cgroupHost = cgroupHost;
  }

  /** Resource use now, from the container's cgroup. */
  dev.berth.ContainerStats stats(ContainerRecord r) {
    if (!states.isRunning(r)) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running: no stats to read");
    }
    dev.berth.internal.cgroup.CgroupStats s = states.cgroup(r).orElseThrow(() -> new BerthException(
        "container " + r.name() + " has no cgroup (this host does not let Berth create"
            + " cgroups: " + cgroupHost.problem() + ")")).stats();
    return new dev.berth.ContainerStats(s.memoryUsageBytes().orElse(-1),
        s.memoryLimitBytes().orElse(-1),
        java.time.Duration.ofNanos(s.cpuTimeNanos().orElse(0)), s.pidsCurrent().orElse(-1));
  }

  /** Freezes (true) or thaws (false) every process of the container, as docker pause. */
  void pause(ContainerRecord r, boolean paused) {
    ContainerInfo i = states.info(r);
    if (!i.isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running");
    }
    ContainerCgroup cg = states.cgroup(r).orElseThrow(() -> new BerthException("cannot pause container "
        + r.name() + ": it has no cgroup (" + cgroupHost.problem() + ")"));
    Path marker = dirs.files(r.id()).paused();
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
    ContainerFiles files = dirs.files(r.id());
    ContainerState s = ContainerState.read(files.state()).orElse(null);
    if (s == null || !states.isRunning(r, s)) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running");
    }
    if (!ContainerStates.alive(s.monitorPid(), s.startedAt()) && command.startsWith("signal ")) {
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
      if (!ContainerStates.alive(s.pid(), s.startedAt())) {
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
    ContainerInfo info = states.info(r);
    if (!info.isRunning()) {
      throw new dev.berth.ConflictException("Container " + r.id() + " is not running: exec needs a running"
          + " container; start a new one with image.run");
    }
    ContainerFiles files = dirs.files(r.id());
    List<Path> view = new ArrayList<>();
    view.add(files.upper());
    view.addAll(dirs.lowerDirs(r));
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
    RuntimeProcess.Builder b = RuntimeProcess.builder(opts.command().toArray(String[]::new))
        .cwd(opts.workingDir() != null ? opts.workingDir() : r.workingDir())
        .user(user.uid(), user.gid(), specs.groupsThatExist(user, opts.user() != null ? opts.user() : r.user()))
        .stdinOpen(opts.stdinOpen())
        .tty(opts.tty());
    env.forEach((k, v) -> b.env(k + "=" + v));
    return launcher.exec(files, info.pid(), b.build());
  }

  /** The stop signal (the image's STOPSIGNAL, else SIGTERM), then SIGKILL after {@code timeoutMillis}; returns once the monitor recorded exit. */
  void stop(ContainerRecord r, long timeoutMillis) {
    if (!states.isRunning(r)) {
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
      String signal = configs.get(r.imageId(), r.image()).config().stopSignal();
      return signal == null || signal.isBlank() ? SIGTERM : dev.berth.internal.runtime.Signals.parse(signal);
    } catch (RuntimeException e) {
      return SIGTERM; // the image is gone (removed with force) or names no signal Berth knows
    }
  }

  void trySignal(ContainerRecord r, int signal) {
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
    while (states.isRunning(r)) {
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
      ContainerInfo i = states.info(r);
      if (i.state() == ContainerInfo.State.EXITED
          || i.state() == ContainerInfo.State.CREATED && !Files.exists(dirs.files(r.id()).record())) {
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
   * The container's processes, as {@code docker top}: every pid in its cgroup (or, where this
   * host gives it none, its init and that init's descendants), read from /proc.
   *
   * @throws BerthException when it is not running
   */
  dev.berth.ContainerTop top(ContainerRecord r) {
    ContainerInfo info = states.info(r);
    if (!info.isRunning()) {
      throw new BerthException("container " + r.name() + " (" + r.id().substring(0, 12)
          + ") is not running: top lists the processes of a running container; start it first");
    }
    List<Long> pids = states.cgroup(r).map(ContainerCgroup::pids).filter(p -> !p.isEmpty()).orElseGet(() -> {
      List<Long> tree = new ArrayList<>(List.of(info.pid()));
      ProcessHandle.of(info.pid()).ifPresent(h -> h.descendants().forEach(d -> tree.add(d.pid())));
      return tree;
    });
    return ProcessTable.of(pids);
  }
}
