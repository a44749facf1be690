package dev.berth.internal.runtime;

import java.nio.file.Path;

/**
 * The files of one container directory that the launcher and the helper share. The helper
 * learns the directory from the config and derives state.json, ctl.sock and rootfs/ the same
 * way. An exec'd process has a directory of its own ({@link #execDir}) with the same files.
 */
public record ContainerFiles(Path dir) {
  public Path config() { return dir.resolve("helper.config"); }
  /** The FIFO the helper says how the start went on ({@code --status}); there during a start. */
  public Path status() { return dir.resolve("helper.status"); }
  /** What the container is: written by Java at creation, and by a rename ({@link ContainerRecord}). */
  public Path record() { return dir.resolve("container.json"); }
  /** The overlay's writable layer and its work dir. */
  public Path upper() { return dir.resolve("upper"); }
  public Path work() { return dir.resolve("work"); }
  /** Written by the helper's monitor: status, pids, times, exit code. */
  public Path state() { return dir.resolve("state.json"); }
  /** Docker's json-file format: one {"log","stream","time"} object a line. */
  public Path log() { return dir.resolve("container.log"); }
  public Path hostname() { return dir.resolve("hostname"); }
  public Path hosts() { return dir.resolve("hosts"); }
  public Path resolvConf() { return dir.resolve("resolv.conf"); }
  /** The compiled seccomp filter (classic BPF) the helper installs. */
  public Path seccomp() { return dir.resolve("seccomp.bpf"); }
  /** The monitor's control socket (resize, signal); there while the monitor runs. */
  public Path controlSocket() { return dir.resolve(HelperProtocol.CTL_SOCKET); }
  /** The directory of one exec'd process: its config, state and control socket. */
  public Path execDir(String execId) { return dir.resolve("exec").resolve(execId); }
  /** Written by the helper's port proxy once listening: "tcp 127.0.0.1 32768 80" a line. */
  public Path ports() { return dir.resolve("ports"); }
  /** There while the container is paused (written by pause, removed by unpause): ps need not
   * read every running container's cgroup to tell paused from running. */
  public Path paused() { return dir.resolve("paused"); }
  /** Where the helper mounts the root file system (inside its own mount namespace only). */
  public Path rootfsMountPoint() { return dir.resolve("rootfs"); }
  /** The container's root file system as a plain copy of its layers (rootless copy mode). */
  public Path copiedRoot() { return dir.resolve("root"); }
  /** Held by a start or a rename: two JVMs starting the container at once start it once. */
  public Path startLock() { return dir.resolve("start.lock"); }
  /** Where a rootless file job shows a stopped container's files for a copy (empty after). */
  public Path copyViewMountPoint() { return dir.resolve("copy-view"); }
}
