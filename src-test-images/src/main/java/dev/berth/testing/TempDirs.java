package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Temp dirs that name the JVM owning them, so a later JVM can delete those left by one that was
 * killed before its shutdown hooks ran, without touching the dirs of JVMs still running beside it.
 */
final class TempDirs {
  private static final String OWNER_FILE = "owner";

  private TempDirs() {}

  /** Creates {@code <tmp>/<prefix>…} owned by this JVM. */
  static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Files.writeString(dir.resolve(OWNER_FILE), identity(ProcessHandle.current()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp dir " + prefix + "* in "
          + System.getProperty("java.io.tmpdir"), e);
    }
  }

  /** Deletes the {@code prefix} dirs whose owning JVM is gone. */
  static void sweepStale(String prefix) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
      for (Path dir : dirs) {
        if (isStale(dir)) {
          Commands.deleteTree(dir);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // sweeping is a courtesy; a dir we cannot read or delete is left alone
    }
  }

  private static boolean isStale(Path dir) throws IOException {
    Path owner = dir.resolve(OWNER_FILE);
    if (!Files.exists(owner)) {
      return false; // being created right now, or made by a harness that did not record owners
    }
    String recorded = Files.readString(owner).trim();
    long pid = Long.parseLong(recorded.split(" ")[0]);
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty() || !identity(process.get()).equals(recorded);
  }

  /** pid and start time: a pid alone may have been reused by an unrelated process. */
  private static String identity(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().map(Instant::toString).orElse("?");
  }
}
