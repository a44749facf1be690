package dev.berth.internal.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The libc calls Java lacks, with errno turned into {@link LinuxException} (naming the call and
 * the path). File descriptors are plain {@code int}s; every call that takes a directory fd and a
 * path behaves as its C namesake (relative to the fd, {@link Fcntl#AT_FDCWD} for the working
 * directory). Extended attributes are {@link Xattrs}'s.
 */
public final class Syscalls {
  private static final short POLLIN = 1;
  private static final long SYS_OPENAT2 = 437; // the same on x86_64 and aarch64 (asm-generic)
  private static final int OPEN_HOW_SIZE = 24;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_SIZE = 256;
  private static final int DIRENT_TYPE_OFFSET = 18; // struct dirent64 on 64-bit Linux
  private static final int DIRENT_NAME_OFFSET = 19;

  private Syscalls() {}

  /**
   * openat2(2) with {@code RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS}: resolves {@code path} as if
   * {@code rootFd} were {@code /}, so neither {@code ..} nor symlinks can leave it.
   *
   * @throws LinuxException with {@link Errno#ENOSYS} on kernels before 5.6
   */
  public static int openInRoot(int rootFd, String path, int flags) {
    ByteBuffer how = ByteBuffer.allocate(OPEN_HOW_SIZE).order(ByteOrder.nativeOrder());
    how.putLong(flags & 0xffffffffL).putLong(0).putLong(Fcntl.RESOLVE_IN_ROOT | Fcntl.RESOLVE_NO_MAGICLINKS);
    try {
      return (int) LibC.syscall(SYS_OPENAT2, rootFd, c(path), how.array(), OPEN_HOW_SIZE);
    } catch (LastErrorException e) {
      throw fail(e, "openat2", path);
    }
  }

  /** openat(2). */
  public static int openat(int dirFd, String path, int flags, int mode) {
    try {
      return LibC.openat(dirFd, c(path), flags, mode);
    } catch (LastErrorException e) {
      throw fail(e, "openat", path);
    }
  }

  /** close(2). */
  public static void close(int fd) {
    try {
      LibC.close(fd);
    } catch (LastErrorException e) {
      throw fail(e, "close", "fd " + fd);
    }
  }

  /** close(2), ignoring failure: for clean-up paths where an earlier error matters more. */
  public static void closeQuietly(int fd) {
    if (fd >= 0) {
      try {
        LibC.close(fd);
      } catch (LastErrorException e) {
        // nothing useful to do: the fd is gone either way
      }
    }
  }

  /** mkdirat(2). */
  public static void mkdirat(int dirFd, String path, int mode) {
    try {
      LibC.mkdirat(dirFd, c(path), mode);
    } catch (LastErrorException e) {
      throw fail(e, "mkdirat", path);
    }
  }

  /** mknodat(2); {@code mode} includes the type ({@link Fcntl#S_IFCHR}, …). */
  public static void mknodat(int dirFd, String path, int mode, int major, int minor) {
    try {
      LibC.mknodat(dirFd, c(path), mode, makedev(major, minor));
    } catch (LastErrorException e) {
      throw fail(e, "mknodat", path);
    }
  }

  /** symlinkat(2): creates {@code path} (relative to {@code dirFd}) pointing at {@code target}. */
  public static void symlinkat(String target, int dirFd, String path) {
    try {
      LibC.symlinkat(c(target), dirFd, c(path));
    } catch (LastErrorException e) {
      throw fail(e, "symlinkat", path);
    }
  }

  /** linkat(2). */
  public static void linkat(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) {
    try {
      LibC.linkat(oldDirFd, c(oldPath), newDirFd, c(newPath), flags);
    } catch (LastErrorException e) {
      throw fail(e, "linkat", newPath + " -> " + oldPath);
    }
  }

  /** unlinkat(2). */
  public static void unlinkat(int dirFd, String path, int flags) {
    try {
      LibC.unlinkat(dirFd, c(path), flags);
    } catch (LastErrorException e) {
      throw fail(e, "unlinkat", path);
    }
  }

  /** renameat2(2). */
  public static void renameat2(int oldDirFd, String oldPath, int newDirFd, String newPath, int flags) {
    try {
      LibC.renameat2(oldDirFd, c(oldPath), newDirFd, c(newPath), flags);
    } catch (LastErrorException e) {
      throw fail(e, "renameat2", oldPath + " -> " + newPath);
    }
  }

  /** readlinkat(2). */
  public static String readlinkat(int dirFd, String path) {
    byte[] buf = new byte[4096];
    try {
      long n = LibC.readlinkat(dirFd, c(path), buf, buf.length);
      return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    } catch (LastErrorException e) {
      throw fail(e, "readlinkat", path);
    }
  }

  /** fchownat(2). */
  public static void fchownat(int dirFd, String path, int uid, int gid, int flags) {
    try {
      LibC.fchownat(dirFd, c(path), uid, gid, flags);
    } catch (LastErrorException e) {
      throw fail(e, "fchownat", path);
    }
  }

  /** fchown(2); {@code what} names the file in a failure message. */
  public static void fchown(int fd, int uid, int gid, String what) {
    try {
      LibC.fchown(fd, uid, gid);
    } catch (LastErrorException e) {
      throw fail(e, "fchown", what);
    }
  }

  /** fchmodat(2) (follows a final symlink: use it only on what you just created). */
  public static void fchmodat(int dirFd, String path, int mode) {
    try {
      LibC.fchmodat(dirFd, c(path), mode, 0);
    } catch (LastErrorException e) {
      throw fail(e, "fchmodat", path);
    }
  }

  /** fchmod(2); {@code what} names the file in a failure message. */
  public static void fchmod(int fd, int mode, String what) {
    try {
      LibC.fchmod(fd, mode);
    } catch (LastErrorException e) {
      throw fail(e, "fchmod", what);
    }
  }

  /** utimensat(2) with nanosecond times. */
  public static void utimensat(int dirFd, String path, Instant atime, Instant mtime, int flags) {
    try {
      LibC.utimensat(dirFd, c(path), times(atime, mtime), flags);
    } catch (LastErrorException e) {
      throw fail(e, "utimensat", path);
    }
  }

  /** futimens(3); {@code what} names the file in a failure message. */
  public static void futimens(int fd, Instant atime, Instant mtime, String what) {
    try {
      LibC.futimens(fd, times(atime, mtime));
    } catch (LastErrorException e) {
      throw fail(e, "futimens", what);
    }
  }

  /** statx(2) of {@code path} relative to {@code dirFd}; {@code flags} as for fstatat. */
  public static Stat statx(int dirFd, String path, int flags) {
    byte[] buf = new byte[STATX_SIZE];
    try {
      LibC.statx(dirFd, c(path), flags, STATX_BASIC_STATS, buf);
    } catch (LastErrorException e) {
      throw fail(e, "statx", path);
    }
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    Instant atime = Instant.ofEpochSecond(b.getLong(64), Integer.toUnsignedLong(b.getInt(72)));
    Instant mtime = Instant.ofEpochSecond(b.getLong(112), Integer.toUnsignedLong(b.getInt(120)));
    return new Stat(b.getShort(28) & 0xffff, b.getInt(20), b.getInt(24), b.getLong(32),
        Integer.toUnsignedLong(b.getInt(16)), b.getLong(40), b.getInt(128), b.getInt(132), mtime,
        atime);
  }

  /**
   * write(2) of {@code count} bytes of a direct buffer, starting at its position (which this
   * call does not move). @return how many bytes were written
   */
  public static int write(int fd, ByteBuffer direct, int count, String what) {
    try {
      return (int) LibC.write(fd, direct, count);
    } catch (LastErrorException e) {
      throw fail(e, "write", what);
    }
  }

  /**
   * read(2) of what is there, up to {@code buf.length} bytes. @return how many; 0 at end of file;
   * -1 when a non-blocking fd has nothing yet (EAGAIN) or a signal came first (EINTR)
   */
  public static int read(int fd, byte[] buf, String what) {
    try {
      return (int) LibC.read(fd, buf, buf.length);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EAGAIN || e.getErrorCode() == Errno.EINTR) return -1;
      throw fail(e, "read", what);
    }
  }

  /**
   * poll(2) of one fd for input. @return whether it has input (or its writers are gone) within
   * {@code timeoutMillis}; false also when a signal came first (EINTR)
   */
  public static boolean pollIn(int fd, int timeoutMillis, String what) {
    int[] pollfd = {fd, POLLIN};
    try {
      return LibC.poll(pollfd, 1, timeoutMillis) > 0;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EINTR) return false;
      throw fail(e, "poll", what);
    }
  }

  /** The names in the directory {@code dirFd} refers to, without {@code .} and {@code ..}. */
  public static List<DirEntry> listDir(int dirFd, String what) {
    int fd = openat(dirFd, ".", Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
    Pointer dir;
    try {
      dir = LibC.fdopendir(fd);
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw fail(e, "fdopendir", what);
    }
    try {
      return readAll(dir);
    } finally {
      LibC.closedir(dir);
    }
  }

  /** flock(2). @return false if {@link Fcntl#LOCK_NB} was given and the lock is held elsewhere */
  public static boolean flock(int fd, int operation, String what) {
    try {
      LibC.flock(fd, operation);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EAGAIN && (operation & Fcntl.LOCK_NB) != 0) {
        return false;
      }
      throw fail(e, "flock", what);
    }
  }

  /** kill(2). */
  public static void kill(int pid, int signal) {
    try {
      LibC.kill(pid, signal);
    } catch (LastErrorException e) {
      throw fail(e, "kill", "pid " + pid);
    }
  }

  private static final int MFD_CLOEXEC = 1;
  private static final int MFD_ALLOW_SEALING = 2;
  private static final int F_ADD_SEALS = 1033;
  /** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE. */
  private static final int ALL_SEALS = 0x1 | 0x2 | 0x4 | 0x8;
  private static final int PR_GET_DUMPABLE = 3;

  /** memfd_create(2): an anonymous file that may be sealed, closed on exec. @return its fd */
  public static int memfdCreate(String name) {
    try {
      return LibC.memfd_create(c(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
    } catch (LastErrorException e) {
      throw fail(e, "memfd_create", name);
    }
  }

  /**
   * Copies what is left of {@code inFd} (from its position) to {@code outFd} in the kernel
   * (sendfile(2)), until the end of the input.
   *
   * @param what names the copy in errors
   */
  public static void copyRest(int outFd, int inFd, String what) {
    try {
      while (LibC.sendfile(outFd, inFd, null, 1L << 30) > 0) {
        // sendfile may copy less than asked: again until it reads the end
      }
    } catch (LastErrorException e) {
      throw fail(e, "sendfile", what);
    }
  }

  /** Seals a memfd for good: no write, no resize, no change of its seals (F_ADD_SEALS). */
  public static void sealAll(int fd, String what) {
    try {
      LibC.fcntl(fd, F_ADD_SEALS, ALL_SEALS);
    } catch (LastErrorException e) {
      throw fail(e, "fcntl(F_ADD_SEALS)", what);
    }
  }

  /** @return whether this process is dumpable: its own user's processes may open its /proc files */
  public static boolean isDumpable() {
    try {
      return LibC.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1;
    } catch (LastErrorException e) {
      throw fail(e, "prctl(PR_GET_DUMPABLE)", "this process");
    }
  }

  /** The same number on x86_64 and aarch64 (the generic table, since Linux 5.3 / 5.1). */
  private static final long SYS_PIDFD_OPEN = 434;
  private static final long SYS_PIDFD_SEND_SIGNAL = 424;

  /** pidfd_open(2): an fd that names this process, not whichever process later gets its pid. */
  public static int pidfdOpen(int pid) {
    try {
      return (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0, 0, 0);
    } catch (LastErrorException e) {
      throw fail(e, "pidfd_open", "pid " + pid);
    }
  }

  /** pidfd_send_signal(2): signals the process the fd names (ESRCH once it is gone). */
  public static void pidfdSendSignal(int pidfd, int signal) {
    try {
      LibC.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0);
    } catch (LastErrorException e) {
      throw fail(e, "pidfd_send_signal", "pidfd " + pidfd);
    }
  }

  /** @return the real user id */
  public static int getuid() {
    return LibC.getuid();
  }

  /** @return the effective user id */
  public static int geteuid() {
    return LibC.geteuid();
  }

  /** @return the effective group id */
  public static int getegid() {
    return LibC.getegid();
  }

  /** mount(2); {@code source}, {@code fstype} and {@code data} may be null. */
  public static void mount(String source, String target, String fstype, long flags, String data) {
    try {
      LibC.mount(cOrNull(source), c(target), cOrNull(fstype), flags, cOrNull(data));
    } catch (LastErrorException e) {
      throw fail(e, "mount", target);
    }
  }

  /** umount2(2). */
  public static void umount2(String target, int flags) {
    try {
      LibC.umount2(c(target), flags);
    } catch (LastErrorException e) {
      throw fail(e, "umount2", target);
    }
  }

  private static List<DirEntry> readAll(Pointer dir) {
    List<DirEntry> entries = new ArrayList<>();
    for (Pointer d = LibC.readdir(dir); d != null; d = LibC.readdir(dir)) {
      String name = new String(d.getByteArray(DIRENT_NAME_OFFSET, strlen(d)), StandardCharsets.UTF_8);
      if (!name.equals(".") && !name.equals("..")) {
        entries.add(new DirEntry(name, d.getByte(DIRENT_TYPE_OFFSET)));
      }
    }
    return entries;
  }

  private static int strlen(Pointer dirent) {
    int n = 0;
    while (dirent.getByte(DIRENT_NAME_OFFSET + n) != 0) {
      n++;
    }
    return n;
  }

  private static long[] times(Instant atime, Instant mtime) {
    return new long[] {atime.getEpochSecond(), atime.getNano(), mtime.getEpochSecond(), mtime.getNano()};
  }

  /** glibc's gnu_dev_makedev. */
  static long makedev(int major, int minor) {
    long ma = Integer.toUnsignedLong(major);
    long mi = Integer.toUnsignedLong(minor);
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }

  /** {@code s} as a NUL-terminated UTF-8 string. */
  static byte[] c(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(utf8, utf8.length + 1);
  }

  private static byte[] cOrNull(String s) {
    return s == null ? null : c(s);
  }

  /** errno of {@code e} as a {@link LinuxException} naming the call and the path. */
  static LinuxException fail(LastErrorException e, String call, String path) {
    return new LinuxException(e.getErrorCode(), call, path);
  }
}
