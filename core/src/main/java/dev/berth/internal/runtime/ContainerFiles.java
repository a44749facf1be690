package dev.berth.internal.runtime;

import java.nio.file.Path;

/**
 * The files of one container directory that the launcher and the helper share. The helper
 * learns the directory from the config and derives state.json and rootfs/ the same way.
 */
public record ContainerFiles(Path dir) {
  public Path config() { return dir.resolve("helper.config"); }
  /** Written by the helper's monitor: status, pids, times, exit code. */
  public Path state() { return dir.resolve("state.json"); }
  /** Docker's json-file format: one {"log","stream","time"} object a line. */
  public Path log() { return dir.resolve("container.log"); }
  public Path hostname() { return dir.resolve("hostname"); }
  public Path hosts() { return dir.resolve("hosts"); }
  public Path resolvConf() { return dir.resolve("resolv.conf"); }
  /** Written by the helper's port proxy once listening: "tcp 127.0.0.1 32768 80" a line. */
  public Path ports() { return dir.resolve("ports"); }
  /** Where the helper mounts the root file system (inside its own mount namespace only). */
  public Path rootfsMountPoint() { return dir.resolve("rootfs"); }
}
