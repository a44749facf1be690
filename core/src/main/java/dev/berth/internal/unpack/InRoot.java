package dev.berth.internal.unpack;

import dev.berth.BerthException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.nio.file.Path;

/**
 * The directory a layer is unpacked into, held open as an {@code O_PATH} fd: every operation is
 * relative to a directory fd that {@link PathResolver} found inside it, never a path string from
 * the archive handed to the kernel whole.
 *
 * <p>Keeps the last parent directory open, since tar entries come grouped by directory. The one
 * cached path cannot go stale: a path only comes to mean another directory when one of its
 * components is removed or replaced, and that takes an entry in a shorter parent, which evicts
 * the cache first; entries in the cached parent change only its children.
 */
final class InRoot implements AutoCloseable {
  private static final int MAX_PARENT_CREATION_DEPTH = 4096;

  private final int rootFd;
  private final PathResolver resolver;
  private final String rootPhysical;
  private String cachedPath;
  private int cachedFd = -1;
  private String cachedPhysical;
  private long generation;

  private InRoot(int rootFd, PathResolver resolver) {
    this.rootFd = rootFd;
    this.resolver = resolver;
    this.rootPhysical = physicalOf(rootFd, "");
  }

  static InRoot open(Path dir, PathResolver resolver) {
    try {
      int fd = Syscalls.openat(Fcntl.AT_FDCWD, dir.toAbsolutePath().toString(),
          Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
      return new InRoot(fd, resolver);
    } catch (LinuxException e) {
      throw new BerthException("cannot open the layer directory " + dir + ": " + e.getMessage()
          + "; create it (empty, or holding the layers below) before unpacking", e);
    }
  }

  int rootFd() {
    return rootFd;
  }

  /**
   * @return a borrowed fd (do not close it) of directory {@code path}, creating missing
   *     directories (mode 0755) as tar does when the archive lists a file before its directory
   */
  int parent(String path) {
    if (path.equals(cachedPath)) {
      return cachedFd;
    }
    int fd = openOrCreate(path, 0);
    invalidate();
    cachedPath = path;
    cachedFd = fd;
    return fd;
  }

  /** @return like {@link #parent} without creating anything, or -1 if there is no such directory */
  int existingParent(String path) {
    if (path.equals(cachedPath)) {
      return cachedFd;
    }
    try {
      int fd = resolver.openDir(rootFd, path);
      invalidate();
      cachedPath = path;
      cachedFd = fd;
      return fd;
    } catch (LinuxException e) {
      if (isMissing(e)) {
        return -1;
      }
      throw e;
    }
  }

  /** @return an owned fd (the caller closes it) of directory {@code path}, resolved in the root */
  int openDir(String path) {
    return resolver.openDir(rootFd, path);
  }

  /**
   * @return where the cached parent {@code path} really is, relative to the root with symlinks
   *     resolved: two names for one directory give one answer
   */
  String physical(String path) {
    if (!path.equals(cachedPath)) {
      throw new IllegalStateException("physical() of " + path + " while " + cachedPath + " is cached");
    }
    if (cachedPhysical == null) {
      cachedPhysical = physicalOf(cachedFd, path);
    }
    return cachedPhysical;
  }

  /** @return a number that changes whenever the cached parent fd does (fd numbers are reused) */
  long generation() {
    return generation;
  }

  /** Forgets the cached parent: call after removing anything. */
  void invalidate() {
    generation++;
    Syscalls.closeQuietly(cachedFd);
    cachedFd = -1;
    cachedPath = null;
    cachedPhysical = null;
  }

  @Override
  public void close() {
    invalidate();
    Syscalls.closeQuietly(rootFd);
  }

  private int openOrCreate(String path, int depth) {
    try {
      return resolver.openDir(rootFd, path);
    } catch (LinuxException e) {
      if (e.errno() != Errno.ENOENT || path.isEmpty() || depth > MAX_PARENT_CREATION_DEPTH) {
        throw e;
      }
    }
    EntryName name = EntryName.of(path);
    int grandParent = openOrCreate(name.parent(), depth + 1);
    try {
      Syscalls.mkdirat(grandParent, name.name(), 0755);
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
    } finally {
      Syscalls.closeQuietly(grandParent);
    }
    return resolver.openDir(rootFd, path);
  }

  /** Uses /proc to name where an fd really is; falls back to the lexical path without /proc. */
  private String physicalOf(int fd, String lexical) {
    try {
      String where = Syscalls.readlinkat(Fcntl.AT_FDCWD, "/proc/self/fd/" + fd);
      if (rootPhysical == null) {
        return where;
      }
      if (where.equals(rootPhysical)) {
        return "";
      }
      String prefix = rootPhysical.endsWith("/") ? rootPhysical : rootPhysical + "/";
      return where.startsWith(prefix) ? where.substring(prefix.length()) : lexical;
    } catch (LinuxException e) {
      return lexical;
    }
  }

  static boolean isMissing(LinuxException e) {
    return e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR;
  }
}
