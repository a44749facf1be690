package dev.berth.internal.linux;

import com.sun.jna.Platform;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Points JNA at a copy of its native library that Berth keeps in {@link Linux#binaryCacheDir()},
 * before JNA starts. Left alone, JNA extracts {@code libjnidispatch.so} from its jar into a new
 * temp file in every JVM and deletes it at exit; with the file it names in
 * {@code jna.boot.library.path}, it loads that one. Measured in a cold JVM: JNA's start 55 ms
 * with the extraction, 40 ms without (its {@code File.createTempFile} also starts the JDK's
 * security providers, which Berth no longer needs elsewhere on a run).
 *
 * <p>The copy is compared byte for byte with the jar's on every start and written again when it
 * differs, as the helper is; its directory is named by the library's CRC, so two JNA versions
 * never share one. Anything that goes wrong leaves JNA to extract as it always did. A JVM whose
 * code set {@code jna.boot.library.path}, or started JNA before Berth, is left as it is.
 *
 * <p>It also names the system's library directories to JNA ({@code jna.platform.library.path},
 * see {@link #platformPath}): left alone, JNA's start on Linux runs {@code /sbin/ldconfig -p} to
 * learn them, a process of its own in every JVM (10 ms of a cold {@code berth run}).
 */
final class JnaBoot {
  static final String PROPERTY = "jna.boot.library.path";
  static final String PLATFORM_PROPERTY = "jna.platform.library.path";
  /** How deep ld.so.conf's includes may nest: a loop of includes stops here. */
  private static final int MAX_INCLUDE_DEPTH = 8;

  private JnaBoot() {}

  /** {@link #prepare(Path)} with {@link Linux#binaryCacheDir()}, and the platform path; never throws. */
  static void prepare() {
    try {
      prepare(Linux.binaryCacheDir());
    } catch (RuntimeException e) {
      // no cache dir to name (no user.home): JNA extracts its library as it always did
    }
    preparePlatformPath(Path.of("/"));
  }

  /**
   * Sets {@link #PLATFORM_PROPERTY}, unless it is set, to {@link #platformPath}{@code (root)};
   * leaves it unset (JNA asks ldconfig, as it always did) when that cannot be read.
   */
  static void preparePlatformPath(Path root) {
    if (System.getProperty(PLATFORM_PROPERTY) != null) {
      return;
    }
    try {
      List<String> dirs = platformPath(root, System.getProperty("os.arch"));
      if (!dirs.isEmpty()) {
        System.setProperty(PLATFORM_PROPERTY, String.join(":", dirs));
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable ld.so.conf: JNA runs ldconfig -p
    }
  }

  /**
   * The directories JNA would search for a library by name, found as JNA's start finds them but
   * without running ldconfig: JNA's own list ({@code /usr/lib/<multiarch>}, {@code
   * /lib/<multiarch>}, {@code /usr/lib64}, {@code /lib64}, {@code /usr/lib}, {@code /lib}), then
   * those of the dynamic linker's configuration ({@code /etc/ld.so.conf} and what it includes),
   * which are the ones {@code ldconfig -p} lists libraries from; each that is a directory, once.
   *
   * @param root the file system's root ({@code /}; a test's tree)
   * @param osArch Java's {@code os.arch}
   * @return the directories as the system names them; empty for a CPU whose multiarch name
   *     Berth does not know (JNA then finds them itself)
   */
  static List<String> platformPath(Path root, String osArch) throws IOException {
    String multiarch = switch (osArch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64" -> "aarch64-linux-gnu";
      default -> null;
    };
    if (multiarch == null) {
      return List.of();
    }
    Set<String> dirs = new LinkedHashSet<>(List.of("/usr/lib/" + multiarch, "/lib/" + multiarch,
        "/usr/lib64", "/lib64", "/usr/lib", "/lib"));
    Path conf = root.resolve("etc/ld.so.conf");
    if (Files.exists(conf)) {
      readConf(root, conf, dirs, 0);
    }
    List<String> existing = new ArrayList<>();
    for (String dir : dirs) {
      if (Files.isDirectory(under(root, dir))) {
        existing.add(dir);
      }
    }
    return existing;
  }

  /** glibc's format: a directory a line, {@code include GLOB}, {@code hwcap …} (ignored), # comments. */
  private static void readConf(Path root, Path conf, Set<String> dirs, int depth) throws IOException {
    if (depth > MAX_INCLUDE_DEPTH) {
      return;
    }
    for (String raw : Files.readAllLines(conf)) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
      String[] words = line.split("\\s+", 2);
      if (words[0].equals("include") && words.length == 2) {
        // relative to the including file's directory, as glibc's ldconfig reads it
        String absolute = words[1].startsWith("/") ? words[1]
            : "/" + root.relativize(conf.getParent()) + "/" + words[1];
        for (Path included : glob(root, absolute)) {
          readConf(root, included, dirs, depth + 1);
        }
      } else if (line.startsWith("/")) {
        String dir = line.length() > 1 && line.endsWith("/") ? line.substring(0, line.length() - 1) : line;
        dirs.add(dir);
      }
    }
  }

  /** The files a pattern names whose wildcards are in its last part only, in name order, as glob(3) gives them. */
  private static List<Path> glob(Path root, String pattern) throws IOException {
    int slash = pattern.lastIndexOf('/');
    Path dir = under(root, pattern.substring(0, Math.max(slash, 1)));
    String name = pattern.substring(slash + 1);
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, name)) {
      matches.forEach(files::add);
    }
    files.removeIf(f -> !Files.isRegularFile(f));
    files.sort(null);
    return files;
  }

  private static Path under(Path root, String absolute) {
    return root.resolve(absolute.substring(1));
  }

  /** Sets {@link #PROPERTY} to a checked copy under {@code cacheDir}, unless it is set. */
  static void prepare(Path cacheDir) {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    String name = System.mapLibraryName("jnidispatch");
    // Platform holds no native code: naming it does not start JNA
    String resource = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + name;
    try (InputStream in = Platform.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return; // a JNA without this platform's library: it reports that itself
      }
      byte[] library = in.readAllBytes();
      CRC32 crc = new CRC32();
      crc.update(library);
      Path dir = cacheDir.resolve("jnidispatch-" + Long.toHexString(crc.getValue()));
      FileTrees.writeUnlessSame(dir.resolve(name), library, PosixFilePermissions.fromString("r-xr-xr-x"));
      System.setProperty(PROPERTY, dir.toString());
    } catch (IOException | RuntimeException e) {
      // a cache Berth cannot write (a read-only home): JNA extracts its library as it always did
    }
  }
}
