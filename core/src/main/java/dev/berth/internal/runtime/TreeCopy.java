package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.internal.linux.DirEntry;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Stat;
import dev.berth.internal.linux.Syscalls;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a file tree from one directory fd to another, one name at a time: every child is opened
 * relative to its parent's fd with {@code O_NOFOLLOW}, so once the two starting directories are
 * resolved (inside a container's root with openat2 RESOLVE_IN_ROOT) no symlink in either tree
 * can lead the copy anywhere else. Directories, regular files and symlinks are copied with their
 * modes and modification times; devices, fifos and sockets only when owners are kept (they
 * belong to an image, never to {@code docker cp}).
 */
public final class TreeCopy {
  private static final int DIR = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

  /** Who owns what the copy writes. */
  public enum Owners {
    /** The source's owners (a volume filled from its image). */
    KEEP,
    /** root (into a container, as {@code docker cp}). */
    ROOT,
    /** Whoever runs this JVM (out of a container, as {@code docker cp}). */
    CALLER
  }

  private final Owners owners;

  public TreeCopy(Owners owners) {
    this.owners = owners;
  }

  /**
   * Copies {@code srcName} in {@code srcDir} to {@code dstName} in {@code dstDir}; a directory
   * is merged into an existing one, a file replaces an existing file.
   *
   * @throws LinuxException naming the failing call and file
   */
  public void copy(int srcDir, String srcName, int dstDir, String dstName) {
    Stat st = Syscalls.statx(srcDir, srcName, Fcntl.AT_SYMLINK_NOFOLLOW);
    switch (st.type()) {
      case Fcntl.S_IFDIR -> copyDir(srcDir, srcName, st, dstDir, dstName);
      case Fcntl.S_IFREG -> copyFile(srcDir, srcName, st, dstDir, dstName);
      case Fcntl.S_IFLNK -> copyLink(srcDir, srcName, st, dstDir, dstName);
      default -> copySpecial(st, dstDir, dstName);
    }
  }

  /** Copies the children of {@code srcDir} into {@code dstDir}, and its mode and owner. */
  public void copyContents(int srcDir, int dstDir) {
    for (DirEntry e : Syscalls.listDir(srcDir, "a directory to copy")) {
      copy(srcDir, e.name(), dstDir, e.name());
    }
    Stat st = Syscalls.statx(srcDir, "", Fcntl.AT_EMPTY_PATH);
    int fd = Syscalls.openat(dstDir, ".", DIR, 0);
    try {
      setMeta(fd, st, "the destination directory");
    } finally {
      Syscalls.closeQuietly(fd);
    }
  }

  private void copyDir(int srcDir, String name, Stat st, int dstDir, String dstName) {
    try {
      Syscalls.mkdirat(dstDir, dstName, 0700);
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
    }
    int src = Syscalls.openat(srcDir, name, DIR, 0);
    int dst = -1;
    try {
      dst = openExistingDir(dstDir, dstName);
      for (DirEntry e : Syscalls.listDir(src, name)) {
        copy(src, e.name(), dst, e.name());
      }
      setMeta(dst, st, dstName);
    } finally {
      Syscalls.closeQuietly(src);
      Syscalls.closeQuietly(dst);
    }
  }

  private static int openExistingDir(int dstDir, String name) {
    try {
      return Syscalls.openat(dstDir, name, DIR, 0);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP) {
        throw new BerthException("cannot copy a directory to " + name
            + ": it exists and is not a directory; remove it or copy elsewhere", e);
      }
      throw e;
    }
  }

  private void copyFile(int srcDir, String name, Stat st, int dstDir, String dstName) {
    int in = Syscalls.openat(srcDir, name, Fcntl.O_RDONLY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC, 0);
    int out = -1;
    try {
      out = createReplacing(dstDir, dstName, name);
      // Reopening through /proc/self/fd gives the very file the fd holds: no path is walked.
      try (FileChannel from = FileChannel.open(fdPath(in), StandardOpenOption.READ);
          FileChannel to = FileChannel.open(fdPath(out), StandardOpenOption.WRITE)) {
        long done = 0;
        while (done < from.size()) {
          done += from.transferTo(done, from.size() - done, to);
        }
      } catch (IOException e) {
        throw new BerthException("cannot copy " + name + ": " + e.getMessage(), e);
      }
      setMeta(out, st, dstName);
    } finally {
      Syscalls.closeQuietly(in);
      Syscalls.closeQuietly(out);
    }
  }

  /** Creates {@code name} for writing; an existing file or symlink there is replaced. */
  private static int createReplacing(int dir, String name, String what) {
    int flags = Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
    try {
      return Syscalls.openat(dir, name, flags, 0600);
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
    }
    removeNonDir(dir, name, what);
    return Syscalls.openat(dir, name, flags, 0600);
  }

  private static void removeNonDir(int dir, String name, String what) {
    try {
      Syscalls.unlinkat(dir, name, 0);
    } catch (LinuxException e) {
      if (e.errno() == Errno.EISDIR) {
        throw new BerthException("cannot copy " + what + " over the directory " + name
            + "; remove it or copy elsewhere", e);
      }
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
  }

  private void copyLink(int srcDir, String name, Stat st, int dstDir, String dstName) {
    String target = Syscalls.readlinkat(srcDir, name);
    try {
      Syscalls.symlinkat(target, dstDir, dstName);
    } catch (LinuxException e) {
      if (e.errno() != Errno.EEXIST) {
        throw e;
      }
      removeNonDir(dstDir, dstName, name);
      Syscalls.symlinkat(target, dstDir, dstName);
    }
    if (owners != Owners.CALLER) {
      Syscalls.fchownat(dstDir, dstName, uid(st), gid(st), Fcntl.AT_SYMLINK_NOFOLLOW);
    }
  }

  private void copySpecial(Stat st, int dstDir, String dstName) {
    if (owners != Owners.KEEP) {
      return; // docker cp of a device or fifo has no use; reading a fifo would block
    }
    removeNonDir(dstDir, dstName, dstName);
    Syscalls.mknodat(dstDir, dstName, st.mode(), st.rdevMajor(), st.rdevMinor());
    Syscalls.fchownat(dstDir, dstName, st.uid(), st.gid(), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  private void setMeta(int fd, Stat st, String what) {
    if (owners != Owners.CALLER) {
      Syscalls.fchown(fd, uid(st), gid(st), what);
    }
    // after chown, which clears setuid and setgid bits
    Syscalls.fchmod(fd, st.mode() & 07777, what);
    Syscalls.futimens(fd, st.mtime(), st.mtime(), what);
  }

  private int uid(Stat st) {
    return owners == Owners.KEEP ? st.uid() : 0;
  }

  private int gid(Stat st) {
    return owners == Owners.KEEP ? st.gid() : 0;
  }

  private static Path fdPath(int fd) {
    return Path.of("/proc/self/fd/" + fd);
  }
}
