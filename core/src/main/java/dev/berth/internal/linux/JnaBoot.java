package dev.berth.internal.linux;

import com.sun.jna.Platform;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
 */
final class JnaBoot {
  static final String PROPERTY = "jna.boot.library.path";

  private JnaBoot() {}

  /** {@link #prepare(Path)} with {@link Linux#binaryCacheDir()}; never throws. */
  static void prepare() {
    try {
      prepare(Linux.binaryCacheDir());
    } catch (RuntimeException e) {
      // no cache dir to name (no user.home): JNA extracts its library as it always did
    }
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
