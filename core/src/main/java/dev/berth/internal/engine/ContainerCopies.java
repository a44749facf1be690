package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.HostInfo;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.HelperJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * {@code docker cp} both ways: finds the container's root, running or stopped, root or rootless,
 * and hands it to {@link ContainerCopy}.
 */
final class ContainerCopies {
  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ContainerSpecs specs;
  private final HostSetup setup;
  /** Null where this host's setup has no rootless file jobs. */
  private final RootlessFiles rootlessFiles;

  ContainerCopies(ContainerDirs dirs, ContainerStates states, ContainerSpecs specs, HostSetup setup,
      RootlessFiles rootlessFiles) {
    this.dirs = dirs;
    this.states = states;
    this.specs = specs;
    this.setup = setup;
    this.rootlessFiles = rootlessFiles;
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
  private void withRoot(ContainerRecord r, boolean write, IntConsumer action) {
    ContainerInfo info = states.info(r);
    if (info.isRunning()) {
      withDir(Path.of("/proc/" + info.pid() + "/root"), action);
      return;
    }
    if (!Linux.isRoot()) {
      withStoppedRootless(r, write, action);
      return;
    }
    ContainerFiles files = dirs.files(r.id());
    List<Path> layers = new ArrayList<>(List.of(files.upper()));
    layers.addAll(dirs.lowerDirs(r));
    Path at = files.copyViewMountPoint();
    try (dev.berth.internal.runtime.MergedView view = write
        ? dev.berth.internal.runtime.MergedView.writable(dirs.lowerDirs(r), files.upper(),
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
  private void withStoppedRootless(ContainerRecord r, boolean write, IntConsumer action) {
    ContainerFiles files = dirs.files(r.id());
    if (setup.rootfs() == HostInfo.RootfsMode.COPY) {
      Path root = files.copiedRoot();
      if (!Files.isDirectory(root)) {
        specs.copyRoot(r, files);
      }
      withDir(root, action);
      return;
    }
    if (rootlessFiles == null) {
      throw new UnsupportedEnvironmentException("copying files of a container that is not running needs, rootless,"
          + " the overlay_userxattr, fuse_overlayfs or copy root file system, not " + setup.rootfs()
          + " (unset BERTH_ROOTFS); or start the container and copy while it runs");
    }
    try (HelperJobs.HeldView view = rootlessFiles.stoppedContainer(dirs.lowerDirs(r), files, write)) {
      withDir(view.root(), action);
    } finally {
      RootlessFiles.removeMountPoint(files);
    }
  }

  private static void withDir(Path dir, IntConsumer action) {
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
