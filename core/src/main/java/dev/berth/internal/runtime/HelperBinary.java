package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.util.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;

/**
 * The native helper, extracted from the jar into a per-user cache directory under a name that
 * carries its sha256, so different Berth versions never overwrite each other's helper. The file
 * is checked on every {@link #path()} — its size, mode and CRC-32 against what the build recorded
 * ({@link Sums}), byte for byte against the jar's where the jar has no record — and written again
 * from the jar when it differs.
 */
public final class HelperBinary {
  private static final String RESOURCE_PREFIX = "berth-helper-";

  /** The sealed copy of each extracted helper this JVM ran, see {@link #launchPath}. */
  private static final Map<Path, Path> LAUNCH = new ConcurrentHashMap<>();

  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("r-xr-xr-x");

  private final Path cacheDir;

  /** @param cacheDir where extracted helpers live; created when missing */
  public HelperBinary(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** The default cache: /var/lib/berth/bin for root, else $XDG_CACHE_HOME/berth/bin. */
  public static HelperBinary defaultCache() {
    return new HelperBinary(Linux.binaryCacheDir());
  }

  /**
   * @return the path of a helper whose content matches the one in the jar, mode 0555 (nobody,
   *     not even a process of its owner that lost track of it, opens it for writing by accident)
   * @throws UnsupportedEnvironmentException when the jar has no helper for this CPU
   * @throws BerthException when the cache directory cannot be written
   */
  public Path path() {
    Sums sums = Sums.recorded();
    Path recorded = sums == null ? null : cacheDir.resolve(RESOURCE_PREFIX + sums.sha256());
    if (recorded != null && sums.describe(recorded)) {
      return recorded;
    }
    // damaged, missing, or no record: from the jar, named by the build's hash (hashing 1 MB in
    // a cold JVM took 40-70 ms)
    byte[] helper = resourceBytes();
    String sha = sums != null ? sums.sha256() : Hashes.sha256Hex(helper);
    Path target = cacheDir.resolve(RESOURCE_PREFIX + sha);
    try {
      FileTrees.writeUnlessSame(target, helper, MODE);
      return target;
    } catch (IOException e) {
      throw new BerthException(
          "Cannot extract the Berth helper into " + cacheDir + ": " + e.getMessage()
              + "; make the directory writable or point XDG_CACHE_HOME elsewhere", e);
    }
  }

  /**
   * What to execute to run the helper: a sealed memfd copy of {@code file} that this JVM makes
   * once and holds for its lifetime, named by its {@code /proc/<pid>/fd/<n>} link. A helper
   * started from it already runs from a sealed copy (selfexe.c), so it does not make its own: no
   * 1 MB copy and second exec at each start, and every helper of this JVM — a monitor lives as
   * long as its container — maps the one copy instead of holding its own. Where the copy cannot be
   * made or its link would not lead a child to it (no memfd, a JVM that is not dumpable, whose
   * /proc files its children may not open, a /proc of another pid namespace), the file itself:
   * the helper then copies itself, as before.
   */
  public static Path launchPath(Path file) {
    return LAUNCH.computeIfAbsent(file, HelperBinary::sealedCopy);
  }

  private static Path sealedCopy(Path file) {
    int fd = -1;
    try {
      if (!Syscalls.isDumpable()) {
        return file;
      }
      fd = Syscalls.memfdCreate("berth-helper");
      Path own = Path.of("/proc/self/fd", Integer.toString(fd));
      // the kernel copies (sendfile), as the helper's own copy does: no 1 MB through the heap
      int from = Syscalls.openat(Fcntl.AT_FDCWD, file.toString(), Fcntl.O_RDONLY | Fcntl.O_CLOEXEC, 0);
      try {
        Syscalls.copyRest(fd, from, "the helper " + file + " into its sealed copy");
      } finally {
        Syscalls.closeQuietly(from);
      }
      Syscalls.sealAll(fd, "the helper's sealed copy");
      Path link = Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd", Integer.toString(fd));
      Object copy = java.nio.file.Files.readAttributes(own, BasicFileAttributes.class).fileKey();
      if (java.nio.file.Files.isExecutable(link)
          && copy.equals(java.nio.file.Files.readAttributes(link, BasicFileAttributes.class).fileKey())) {
        return link;
      }
    } catch (IOException | RuntimeException e) {
      // the file, below
    }
    if (fd >= 0) {
      Syscalls.closeQuietly(fd);
    }
    return file;
  }

  /** The helper's name for this machine's CPU, like berth-helper-x86_64. */
  static String resourceName() {
    return resourceName(System.getProperty("os.arch"));
  }

  /** @return the helper's resource name for a JVM's {@code os.arch}: amd64 → berth-helper-x86_64 */
  static String resourceName(String osArch) {
    return RESOURCE_PREFIX + machine(osArch);
  }

  /** @return the machine name {@code build.sh} uses for a JVM's {@code os.arch}: amd64 → x86_64 */
  private static String machine(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "arm64", "aarch64" -> "aarch64";
      default -> arch;
    };
  }

  /**
   * The CPUs the build makes a helper for (core/src/main/c/build.sh's {@code ARCHES}; {@code
   * HelperBinaryTest} holds the two lists and the jar's resources to each other). Named here so
   * that an engine's open reads nothing from the jar: a first resource read opens the jar's
   * directory (9,000 entries in the CLI's jar, ~9 ms of a cold {@code berth ps -a}, which reads
   * nothing else from it).
   */
  static final List<String> MACHINES = List.of("x86_64", "aarch64");

  /** @return whether the build makes a helper for a JVM's {@code os.arch}, so this jar holds one */
  static boolean hasHelperFor(String osArch) {
    return MACHINES.contains(machine(osArch));
  }

  /**
   * The helper's SHA-256, CRC-32 and size as the build recorded them ({@code NAME.sums}, see
   * core/src/main/c/build.sh): the cached copy is found by the first and checked by the others
   * without inflating the jar's megabyte (10-15 ms in a cold JVM), as long as it stays intact.
   */
  record Sums(String sha256, long crc32, long size) {
    /** @return the build's, or null when the jar has none or they cannot be read */
    static Sums recorded() {
      try (InputStream in = HelperBinary.class.getResourceAsStream(resourceName() + ".sums")) {
        return in == null ? null : parse(in.readAllBytes());
      } catch (IOException e) {
        return null; // a jar without them: the helper is read from it and compared, as before
      }
    }

    /** @return the sums of {@code NAME.sums}' lines, or null when any is missing or malformed */
    static Sums parse(byte[] file) {
      Map<String, String> lines = new java.util.HashMap<>();
      for (String line : new String(file, StandardCharsets.US_ASCII).split("\n")) {
        int space = line.indexOf(' ');
        if (space > 0) {
          lines.put(line.substring(0, space), line.substring(space + 1).strip());
        }
      }
      String sha = lines.get("sha256");
      if (sha == null || sha.length() != 64
          || !sha.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return null;
      }
      try {
        return new Sums(sha, Long.parseLong(lines.get("crc32")), Long.parseLong(lines.get("size")));
      } catch (NumberFormatException e) { // a missing line too: parseLong(null) throws it
        return null;
      }
    }

    /** Whether {@code file} is a regular file of mode 0555 with this size and CRC-32. */
    boolean describe(Path file) {
      try {
        PosixFileAttributes attrs = java.nio.file.Files.readAttributes(file, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile() || attrs.size() != size
            || !attrs.permissions().equals(MODE)) {
          return false;
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return bytes.length == size && crc.getValue() == crc32;
      } catch (IOException e) {
        return false;
      }
    }
  }

  private static byte[] resourceBytes() {
    return bytesFor(System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
        System.getProperty("os.arch"));
  }

  /**
   * @param what names the machine, for the message
   * @param arch a CPU as Java's {@code os.arch} or Docker's {@code Arch} (amd64, arm64) names it
   * @return the helper's bytes for that CPU
   * @throws UnsupportedEnvironmentException when the jar has none for it
   */
  public static byte[] bytesFor(String what, String arch) {
    String name = resourceName(arch);
    try (InputStream in = HelperBinary.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new UnsupportedEnvironmentException(
            "This Berth jar has no native helper for " + what + " (" + name
                + "); build Berth on Linux on this CPU");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
