package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.NotFoundException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.TreeCopy;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code docker cp} between the host and a container's root, given as an fd. Container paths
 * are resolved with openat2 RESOLVE_IN_ROOT, so {@code ..} and symlinks (even {@code /escape ->
 * /}) stay inside the container; below the resolved directory {@link TreeCopy} follows no
 * symlink at all. As Docker: into an existing directory the copy keeps its name, otherwise the
 * destination path names it; what goes in is owned by root, what comes out by the caller.
 */
final class ContainerCopy {
  private static final int DIR = Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC;

  private ContainerCopy() {}

  static void toContainer(int root, Path host, String path, String container) {
    Path src = host.toAbsolutePath().normalize();
    if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
      throw new BerthException("cannot copy " + src + " into container " + container
          + ": no such file or directory on the host");
    }
    String rel = relative(path);
    String srcName = src.getFileName() == null ? "." : src.getFileName().toString();
    int srcDir = hostDir(src.getParent() == null ? src : src.getParent());
    int dstDir = -1;
    try {
      dstDir = dirInRoot(root, rel);
      String dstName = srcName;
      if (dstDir < 0) {
        dstDir = parentInRoot(root, rel, path, container);
        dstName = Path.of(rel).getFileName().toString();
      }
      TreeCopy.Owners owners = Linux.isRoot() ? TreeCopy.Owners.ROOT : TreeCopy.Owners.CALLER;
      new TreeCopy(owners).copy(srcDir, srcName, dstDir, dstName);
    } catch (LinuxException e) {
      throw new BerthException("cannot copy " + src + " to " + path + " in container "
          + container + ": " + e.getMessage(), e);
    } finally {
      Syscalls.closeQuietly(srcDir);
      Syscalls.closeQuietly(dstDir);
    }
  }

  static void fromContainer(int root, String path, Path host, String container) {
    Path dst = host.toAbsolutePath().normalize();
    String rel = relative(path);
    String srcName = rel.isEmpty() ? "." : Path.of(rel).getFileName().toString();
    int srcDir = rel.isEmpty() ? dirInRoot(root, "") : parentInRoot(root, rel, path, container);
    int dstDir = -1;
    try {
      Syscalls.statx(srcDir, srcName, Fcntl.AT_SYMLINK_NOFOLLOW);
      boolean into = Files.isDirectory(dst);
      Path dstParent = into ? dst : dst.getParent();
      if (dstParent == null || !Files.isDirectory(dstParent)) {
        throw new BerthException("cannot copy " + path + " out of container " + container
            + ": the host directory " + dstParent + " does not exist; create it first");
      }
      dstDir = hostDir(dstParent);
      new TreeCopy(TreeCopy.Owners.CALLER).copy(srcDir, srcName, dstDir,
          into ? srcName : dst.getFileName().toString());
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) {
        NotFoundException missing = new NotFoundException("Could not find the file " + path
            + " in container " + container + "; check the path");
        missing.initCause(e);
        throw missing;
      }
      throw new BerthException("cannot copy " + path + " out of container " + container
          + " to " + dst + ": " + e.getMessage(), e);
    } finally {
      Syscalls.closeQuietly(srcDir);
      Syscalls.closeQuietly(dstDir);
    }
  }

  /** @return an fd of the absolute directory {@code path} inside the root, or -1 if none */
  static int absoluteDirInRoot(int root, String path) {
    return dirInRoot(root, relative(path));
  }

  /** @return an fd of directory {@code rel} inside the root, or -1 when there is none */
  private static int dirInRoot(int root, String rel) {
    try {
      return Syscalls.openInRoot(root, rel.isEmpty() ? "." : rel, DIR);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
        return -1;
      }
      throw e;
    }
  }

  private static int parentInRoot(int root, String rel, String path, String container) {
    Path parent = Path.of(rel).getParent();
    int fd = dirInRoot(root, parent == null ? "" : parent.toString());
    if (fd < 0) {
      throw new NotFoundException("the directory of " + path + " does not exist in container "
          + container + "; create it first (or copy a directory that holds it)");
    }
    return fd;
  }

  private static int hostDir(Path dir) {
    return Syscalls.openat(Fcntl.AT_FDCWD, dir.toString(), DIR, 0);
  }

  /** @return the path without its leading slashes, normalised; refuses relative paths */
  private static String relative(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("container path '" + path
          + "' must be absolute, e.g. /etc/hosts");
    }
    return Path.of(path).normalize().toString().replaceFirst("^/+", "");
  }
}
