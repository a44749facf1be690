package dev.berth.internal.unpack;

import dev.berth.internal.linux.DirEntry;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.util.Set;

/** Removes trees relative to a directory fd, never following a symlink. */
final class Remover {
  private static final int OPEN_DIR = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

  private Remover() {}

  /** Removes {@code name} in {@code dirFd} and everything under it; nothing if it is absent. */
  static void removeAll(int dirFd, String name) {
    try {
      Syscalls.unlinkat(dirFd, name, 0);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) {
        return;
      }
      if (e.errno() != Errno.EISDIR) {
        throw e;
      }
      int fd = Syscalls.openat(dirFd, name, OPEN_DIR, 0);
      try {
        for (DirEntry child : Syscalls.listDir(fd, name)) {
          removeAll(fd, child.name());
        }
      } finally {
        Syscalls.closeQuietly(fd);
      }
      Syscalls.unlinkat(dirFd, name, Fcntl.AT_REMOVEDIR);
    }
  }

  /**
   * Removes {@code name} (at {@code physical}, relative to the root) unless this layer wrote it:
   * a path in {@code upper} is kept, and so, for a directory, is whatever under it is in {@code
   * upper}, while the rest of its contents (from lower layers) goes.
   */
  static void removeUnlessUpper(int dirFd, String name, String physical, Set<String> upper) {
    if (!upper.contains(physical)) {
      removeAll(dirFd, name);
      return;
    }
    int fd;
    try {
      fd = Syscalls.openat(dirFd, name, OPEN_DIR, 0);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP || e.errno() == Errno.ENOENT) {
        return; // kept, and not a directory: nothing under it
      }
      throw e;
    }
    try {
      removeChildrenUnlessUpper(fd, physical, upper);
    } finally {
      Syscalls.closeQuietly(fd);
    }
  }

  /** As {@link #removeUnlessUpper} for each child of the directory {@code dirFd} itself. */
  static void removeChildrenUnlessUpper(int dirFd, String physical, Set<String> upper) {
    for (DirEntry child : Syscalls.listDir(dirFd, physical)) {
      String childPath = physical.isEmpty() ? child.name() : physical + "/" + child.name();
      removeUnlessUpper(dirFd, child.name(), childPath, upper);
    }
  }
}
