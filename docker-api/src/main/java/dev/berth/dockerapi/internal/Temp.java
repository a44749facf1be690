package dev.berth.dockerapi.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removing the server's own temp trees (archives, build contexts) once a request is done. */
final class Temp {
  private Temp() {}

  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort; the temp directory is the JVM's
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
