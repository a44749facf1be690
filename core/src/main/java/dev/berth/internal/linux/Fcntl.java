package dev.berth.internal.linux;

/**
 * Flag values for the calls in {@link Syscalls}. A few {@code O_*} values differ between x86_64
 * and aarch64, so they are chosen from {@code os.arch}; the rest are the same on every Linux.
 */
public final class Fcntl {
  private static final boolean ARM64 = isArm64(System.getProperty("os.arch"));

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 01;
  public static final int O_RDWR = 02;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_TRUNC = 01000;
  public static final int O_DIRECTORY = ARM64 ? 040000 : 0200000;
  public static final int O_NOFOLLOW = ARM64 ? 0100000 : 0400000;
  public static final int O_NONBLOCK = 04000;
  public static final int O_CLOEXEC = 02000000;
  public static final int O_PATH = 010000000;

  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int AT_SYMLINK_FOLLOW = 0x400;
  public static final int AT_EMPTY_PATH = 0x1000;

  public static final int RESOLVE_NO_MAGICLINKS = 0x02;
  public static final int RESOLVE_IN_ROOT = 0x10;

  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 060000;
  public static final int S_IFDIR = 040000;
  public static final int S_IFCHR = 020000;
  public static final int S_IFIFO = 010000;

  public static final int LOCK_SH = 1;
  public static final int LOCK_EX = 2;
  public static final int LOCK_NB = 4;
  public static final int LOCK_UN = 8;

  public static final int RENAME_NOREPLACE = 1;
  public static final int RENAME_EXCHANGE = 2;

  public static final int MNT_DETACH = 2;

  private Fcntl() {}

  static boolean isArm64(String arch) {
    return "aarch64".equals(arch) || "arm64".equals(arch);
  }
}
