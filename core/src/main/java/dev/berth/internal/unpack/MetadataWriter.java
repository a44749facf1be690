package dev.berth.internal.unpack;

import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Applies owner, mode, xattrs and times, in that order: chown clears setuid and setgid, so the
 * mode comes after it, and the times come last because setting xattrs could touch them.
 */
final class MetadataWriter {
  private final boolean mayChown;
  private final Notes notes;
  private final Path root;
  private final List<UnpackSummary.DeferredOwner> deferred;

  /**
   * @param mayChown whether this thread has CAP_CHOWN: then a failed chown is an error
   * @param root the real path of the unpack root, to name deferred owners relative to it
   * @param deferred where owners that cannot be set go, or null to only note them
   */
  MetadataWriter(boolean mayChown, Notes notes, Path root, List<UnpackSummary.DeferredOwner> deferred) {
    this.mayChown = mayChown;
    this.notes = notes;
    this.root = root;
    this.deferred = deferred;
  }

  /** For a file opened for writing (or a directory opened for reading): by fd. */
  void applyByFd(int fd, EntryMeta meta, String path, boolean withModeAndTimes) {
    chown(() -> Syscalls.fchown(fd, meta.uid(), meta.gid(), path), meta, path, fd, null);
    if (withModeAndTimes) {
      Syscalls.fchmod(fd, meta.perm(), path);
    }
    meta.xattrs().forEach((name, value) ->
        xattr(() -> Xattrs.fsetxattr(fd, name, value, path), path, name));
    if (withModeAndTimes) {
      Syscalls.futimens(fd, meta.atime(), meta.mtime(), path);
    }
  }

  /** For symlinks and device nodes, which cannot be opened for writing: by name in a parent fd. */
  void applyAt(int parentFd, String name, EntryMeta meta, String path, boolean symlink) {
    chown(() -> Syscalls.fchownat(parentFd, name, meta.uid(), meta.gid(), Fcntl.AT_SYMLINK_NOFOLLOW),
        meta, path, parentFd, name);
    if (!symlink) {
      Syscalls.fchmodat(parentFd, name, meta.perm()); // a node this unpacker just created, not a link
    }
    // /proc/self/fd/N is the very directory the fd holds; lsetxattr does not follow the last name.
    String procPath = "/proc/self/fd/" + parentFd + "/" + name;
    for (Map.Entry<String, byte[]> x : meta.xattrs().entrySet()) {
      xattr(() -> Xattrs.lsetxattr(procPath, x.getKey(), x.getValue()), path, x.getKey());
    }
    Syscalls.utimensat(parentFd, name, meta.atime(), meta.mtime(), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  /** @param name null: fd is the file itself; else the file is name in directory fd */
  private void chown(Runnable call, EntryMeta meta, String path, int fd, String name) {
    try {
      call.run();
    } catch (LinuxException e) {
      if (mayChown || (e.errno() != Errno.EPERM && e.errno() != Errno.EINVAL)) {
        throw e;
      }
      if (deferred == null) {
        notes.add("owner not applied (no CAP_CHOWN; run as root or map ids to your own)", path);
      } else {
        deferred.add(new UnpackSummary.DeferredOwner(onDisk(fd, name), meta.uid(), meta.gid()));
      }
    }
  }

  /** Where the file really is: the entry's name may have gone through symlinks in the root. */
  private String onDisk(int fd, String name) {
    try {
      Path dir = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
      Path file = name == null ? dir : dir.resolve(name);
      String rel = root.relativize(file).toString();
      return rel.isEmpty() ? "." : rel;
    } catch (IOException e) {
      throw new LinuxException(Errno.EINVAL, "readlink", "/proc/self/fd/" + fd + ": " + e.getMessage());
    }
  }

  private void xattr(Runnable call, String path, String name) {
    try {
      call.run();
    } catch (LinuxException e) {
      int errno = e.errno();
      if (errno != Errno.EPERM && errno != Errno.EOPNOTSUPP && errno != Errno.EACCES) {
        throw e;
      }
      notes.add("xattr not set (" + Errno.name(errno) + ")", path + " " + name);
    }
  }
}
