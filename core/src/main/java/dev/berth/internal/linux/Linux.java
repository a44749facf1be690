package dev.berth.internal.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Answers "what can this host do?" for the runtime and for test assumptions. Each answer comes
 * from the kernel itself (a probe call or a /proc file), never from a version number, and the
 * probes are cheap enough to call repeatedly.
 */
public final class Linux {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Linux() {}

  /** @return whether openat2(2) exists (kernel 5.6 and later, unless filtered by seccomp) */
  public static boolean hasOpenat2() {
    int root = Syscalls.openat(Fcntl.AT_FDCWD, "/", Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
    try {
      Syscalls.closeQuietly(Syscalls.openInRoot(root, ".", Fcntl.O_PATH | Fcntl.O_CLOEXEC));
      return true;
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOSYS || e.errno() == Errno.EPERM) {
        return false; // EPERM: a seccomp filter that refuses calls it does not know
      }
      throw e;
    } finally {
      Syscalls.closeQuietly(root);
    }
  }

  /**
   * @return where Berth keeps the native code it extracts from its jars (the helper, JNA's
   *     library): /var/lib/berth/bin for root, else $XDG_CACHE_HOME/berth/bin (~/.cache by default)
   */
  public static Path binaryCacheDir() {
    if (isRoot()) {
      return Path.of("/var/lib/berth/bin");
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("berth").resolve("bin");
  }

  /** @return whether this process runs with effective uid 0 */
  public static boolean isRoot() {
    return Euid.ROOT;
  }

  /** Read once: a JVM cannot change its uid, and a run asked twice (0.04 ms a read of /proc). */
  private static final class Euid {
    static final boolean ROOT = effectiveUid() == 0;
  }

  /**
   * The effective uid from {@code /proc/self/status}, not through JNA: opening the engine for
   * {@code berth ps} then loads no native library (JNA's start costs a cold JVM tens of ms).
   */
  static int effectiveUid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[2]);
        }
      }
    } catch (IOException | RuntimeException noProc) {
      // no /proc (or an unexpected format): ask the kernel
    }
    return Syscalls.geteuid();
  }

  /** @return whether this process may create a user namespace */
  public static boolean hasUserNamespaces() {
    if (!Files.exists(Path.of("/proc/self/ns/user")) || readInt("/proc/sys/user/max_user_namespaces", 0) <= 0) {
      return false;
    }
    return isRoot()
        || (readInt("/proc/sys/kernel/unprivileged_userns_clone", 1) == 1
            && readInt("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", 0) == 0);
  }

  /** @return whether the kernel knows the overlay file system */
  public static boolean hasOverlay() {
    return readLines(Path.of("/proc/filesystems")).stream()
        .anyMatch(line -> line.endsWith("\toverlay"));
  }

  /** @return the cgroup hierarchy mounted on this host, as this process sees it */
  public static CgroupVersion cgroupVersion() {
    return cgroupVersion(readLines(MOUNTINFO));
  }

  /** Decides the cgroup version from the lines of a mountinfo file. */
  static CgroupVersion cgroupVersion(List<String> mountinfo) {
    boolean v1 = false;
    boolean v2 = false;
    boolean v2AtRoot = false;
    for (String line : mountinfo) {
      String[] halves = line.split(" - ", 2);
      if (halves.length < 2) {
        continue;
      }
      String fsType = halves[1].split(" ", 2)[0];
      String mountPoint = halves[0].split(" ")[4];
      v1 |= fsType.equals("cgroup");
      v2 |= fsType.equals("cgroup2");
      v2AtRoot |= fsType.equals("cgroup2") && mountPoint.equals("/sys/fs/cgroup");
    }
    if (v2AtRoot && !v1) {
      return CgroupVersion.V2;
    }
    if (v1) {
      return v2 ? CgroupVersion.HYBRID : CgroupVersion.V1;
    }
    return v2 ? CgroupVersion.V2 : CgroupVersion.NONE;
  }

  /**
   * @return whether this process may create overlayfs whiteouts (character devices 0/0): true
   *     for root, and for user namespaces on kernels that allow it
   */
  public static boolean canMknodWhiteouts() {
    Path dir;
    try {
      dir = Files.createTempDirectory("berth-whiteout-probe");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String node = dir.resolve("probe").toString();
    try {
      Syscalls.mknodat(Fcntl.AT_FDCWD, node, Fcntl.S_IFCHR, 0, 0);
      Syscalls.unlinkat(Fcntl.AT_FDCWD, node, 0);
      return true;
    } catch (LinuxException e) {
      return false;
    } finally {
      dir.toFile().delete();
    }
  }

  private static int readInt(String file, int missing) {
    try {
      return Integer.parseInt(Files.readString(Path.of(file)).trim());
    } catch (IOException | NumberFormatException e) {
      return missing;
    }
  }

  /**
   * The mount points at or under {@code dir} in this process's mount namespace, deepest first
   * (the order to unmount them in).
   */
  public static List<Path> mountPointsUnder(Path dir) {
    Path real;
    try {
      real = dir.toRealPath(); // mountinfo names real paths
    } catch (IOException e) {
      real = dir;
    }
    return mountPointsUnder(readLines(MOUNTINFO), real);
  }

  /** {@link #mountPointsUnder(Path)} from the lines of a mountinfo file. */
  static List<Path> mountPointsUnder(List<String> mountinfo, Path dir) {
    Path under = dir.toAbsolutePath().normalize();
    java.util.List<Path> out = new java.util.ArrayList<>();
    for (String line : mountinfo) {
      String[] fields = line.split(" ");
      if (fields.length < 5) {
        continue;
      }
      Path mountPoint = Path.of(unescape(fields[4]));
      if (mountPoint.startsWith(under)) {
        out.add(mountPoint);
      }
    }
    out.sort((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount())); // deepest first
    return out;
  }

  /** mountinfo writes space, tab, newline and backslash as three octal digits after a backslash. */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": is /proc mounted?", e);
    }
  }
}
