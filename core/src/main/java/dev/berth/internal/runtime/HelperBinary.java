package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.util.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The native helper, extracted from the jar into a per-user cache directory under a name that
 * carries its sha256, so different Berth versions never overwrite each other's helper. The file
 * is checked on every {@link #path()} and written again when its content differs.
 */
public final class HelperBinary {
  private static final String RESOURCE_PREFIX = "berth-helper-";

  /** The sealed copy of each extracted helper this JVM ran, see {@link #launchPath}. */
  private static final Map<Path, Path> LAUNCH = new ConcurrentHashMap<>();

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
    byte[] helper = resourceBytes();
    // the build wrote the hash beside the helper: hashing 1 MB in a cold JVM took 40-70 ms
    String sha = recordedSha().orElseGet(() -> Hashes.sha256Hex(helper));
    Path target = cacheDir.resolve(RESOURCE_PREFIX + sha);
    try {
      // compared byte for byte: as strict as a second sha256, and cheap in a JVM not yet warm
      FileTrees.writeUnlessSame(target, helper, PosixFilePermissions.fromString("r-xr-xr-x"));
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
      try (FileChannel from = FileChannel.open(file);
          FileChannel to = FileChannel.open(own, StandardOpenOption.WRITE)) {
        for (long at = 0, size = from.size(); at < size; ) {
          at += from.transferTo(at, size - at, to);
        }
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
    String arch = osArch.toLowerCase(Locale.ROOT);
    String machine = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "arm64", "aarch64" -> "aarch64";
      default -> arch;
    };
    return RESOURCE_PREFIX + machine;
  }

  /** @return whether this jar holds a helper for a JVM's {@code os.arch} */
  static boolean hasHelperFor(String osArch) {
    return HelperBinary.class.getResource(resourceName(osArch)) != null;
  }

  /** The helper's SHA-256 as the build recorded it ({@code NAME.sha256}), when it is there. */
  static Optional<String> recordedSha() {
    try (InputStream in = HelperBinary.class.getResourceAsStream(resourceName() + ".sha256")) {
      if (in == null) {
        return Optional.empty();
      }
      String sha = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
      return sha.matches("[0-9a-f]{64}") ? Optional.of(sha) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
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
