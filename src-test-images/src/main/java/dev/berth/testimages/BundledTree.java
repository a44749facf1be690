package dev.berth.testimages;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A directory shipped with this library ({@code recipes/}, {@code containerfiles/}) as a real
 * directory with the unix modes the authors gave its files: in a build, the resource directory
 * itself; inside a jar, a copy extracted once per JVM from the modes the jar recorded.
 *
 * <p>Reading such a tree through the JDK's zip file system loses the modes (it has no unix
 * permissions unless asked, and then invents defaults for entries without any), which once built
 * a postgres image whose entrypoint was not executable. So a jar entry without a unix mode is an
 * error here, never a silent 0644.
 */
final class BundledTree {
  private static final ConcurrentMap<String, Path> EXTRACTED = new ConcurrentHashMap<>();

  private BundledTree() {}

  /**
   * The directory {@code /<name>/} of this library's resources.
   *
   * @param marker a file in it that must exist, e.g. {@code busybox/recipe.json}
   * @throws TestImageException if it is not on the class path or the jar lacks unix modes
   */
  static Path of(String name, String marker) {
    URL url = BundledTree.class.getResource("/" + name + "/" + marker);
    if (url == null) {
      throw new TestImageException("the test images' " + name + " are not on the class path"
          + " (expected " + name + "/" + marker + " next to dev.berth.testimages)");
    }
    try {
      if (!"jar".equals(url.getProtocol())) {
        Path markerPath = Path.of(url.toURI());
        Path dir = markerPath;
        for (int i = 0; i < Path.of(marker).getNameCount(); i++) {
          dir = dir.getParent();
        }
        return dir;
      }
      Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
      return EXTRACTED.computeIfAbsent(jar + "!" + name, k -> extract(jar, name));
    } catch (IOException | URISyntaxException e) {
      throw new TestImageException("cannot locate the test images' " + name + " at " + url, e);
    }
  }

  /** Copies {@code <name>/} out of {@code jar} into a new temp dir, removed when the JVM exits. */
  static Path extract(Path jar, String name) {
    try {
      Path target = Files.createTempDirectory("berth-test-" + name + "-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Trees.delete(target)));
      extractInto(jar, name, target);
      return target.resolve(name);
    } catch (IOException e) {
      throw new TestImageException("cannot extract " + name + "/ from " + jar + ": " + e, e);
    }
  }

  /** Writes the entries under {@code <name>/} of {@code jar} below {@code target}, with modes. */
  static void extractInto(Path jar, String name, Path target) throws IOException {
    try (ZipFile zip = ZipFile.builder().setPath(jar).get()) {
      for (ZipArchiveEntry entry : Collections.list(zip.getEntries())) {
        String entryName = entry.getName();
        if (!entryName.startsWith(name + "/")) {
          continue;
        }
        Path to = target.resolve(entryName).normalize();
        if (!to.startsWith(target) || entryName.contains("..")) {
          throw new TestImageException("jar " + jar + " holds an entry outside its tree: " + entryName);
        }
        int mode = entry.getUnixMode() & 07777;
        if (entry.getPlatform() != ZipArchiveEntry.PLATFORM_UNIX || mode == 0) {
          throw new TestImageException("jar " + jar + " has no unix mode for " + entryName
              + ", so the test images built from it would lose their files' modes; build the"
              + " jar with Maven's jar plugin (it records them) or run from the source tree");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Files.setPosixFilePermissions(to, permissions(mode));
      }
    }
  }

  /** The permission bits of {@code mode} (setuid and friends are not authored here). */
  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (0400 >> bit)) != 0) {
        set.add(all[bit]);
      }
    }
    return set;
  }
}
