package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A container's root file system seen from the host while no container has it mounted: an
 * overlay of its layers (and, for writing, its upper dir) mounted on a temporary directory, and
 * detached on close. What a stopped container's copy reads and writes, and what a new volume is
 * filled from. One plain layer needs no mount. Root only: rootless overlays need a user
 * namespace, which a multi-threaded JVM cannot enter.
 */
public final class MergedView implements AutoCloseable {
  private static final long MS_RDONLY = 1;

  private final Path root;
  private final Path mountPoint;

  private MergedView(Path root, Path mountPoint) {
    this.root = root;
    this.mountPoint = mountPoint;
  }

  /**
   * @param tempDir where to mount them; unused (may be null) for a single layer
   * @return the image's files: the layers only, read-only
   */
  public static MergedView readOnly(List<Path> lowersTopFirst, Path tempDir) {
    if (lowersTopFirst.size() == 1) {
      return new MergedView(lowersTopFirst.get(0), null);
    }
    return mount(tempDir, MS_RDONLY, "lowerdir=" + join(lowersTopFirst));
  }

  /** @return a stopped container's files, writable: what is written lands in its upper dir */
  public static MergedView writable(List<Path> lowersTopFirst, Path upper, Path work,
      Path tempDir) {
    return mount(tempDir, 0, "lowerdir=" + join(lowersTopFirst) + ",upperdir=" + upper
        + ",workdir=" + work);
  }

  private static MergedView mount(Path tempDir, long flags, String data) {
    if (!Linux.isRoot()) {
      throw new UnsupportedEnvironmentException("reading or writing the files of a container"
          + " that is not running needs root (an overlay mount); start the container and copy"
          + " while it runs");
    }
    try {
      Files.createDirectories(tempDir);
      Syscalls.mount("overlay", tempDir.toString(), "overlay", flags, data);
      return new MergedView(tempDir, tempDir);
    } catch (IOException | LinuxException e) {
      throw new BerthException("cannot mount the container's files at " + tempDir + ": "
          + e.getMessage() + "; check that the kernel has overlayfs", e);
    }
  }

  private static String join(List<Path> dirs) {
    return dirs.stream().map(Path::toString).collect(Collectors.joining(":"));
  }

  /** @return the directory that shows the merged files */
  public Path root() {
    return root;
  }

  /** @return an O_PATH fd of the root, to resolve paths in with openat2; the caller closes it */
  public int openRoot() {
    return Syscalls.openat(Fcntl.AT_FDCWD, root.toString(),
        Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
  }

  @Override
  public void close() {
    if (mountPoint == null) {
      return;
    }
    try {
      Syscalls.umount2(mountPoint.toString(), Fcntl.MNT_DETACH);
      Files.deleteIfExists(mountPoint);
    } catch (IOException | LinuxException e) {
      throw new BerthException("cannot unmount " + mountPoint + ": " + e.getMessage(), e);
    }
  }
}
