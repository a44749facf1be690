package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One engine per test JVM for the fixture tests, on a temporary home whose registry mirror is
 * the shared test registry holding the test images; the home is deleted when the JVM exits.
 */
public final class FixtureEngines {
  private static Berth engine;

  private FixtureEngines() {}

  /** @return the engine, with {@code images} pushed to its registry */
  public static synchronized Berth with(String... images) {
    var registry = Registries.plainWith(images);
    if (engine == null) {
      try {
        Path home = Files.createTempDirectory("berth-fixtures-");
        engine = Registries.engine(home, registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(home)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return engine;
  }

  /** For {@code @EnabledIf}: fixtures run containers, which these tests do as root. */
  public static boolean runsContainers() {
    return Linux.isRoot();
  }

  private static void deleteQuietly(Path home) {
    try {
      FileTrees.deleteRecursively(home);
    } catch (IOException | RuntimeException e) {
      // a leftover temp dir is not worth failing the JVM's exit for
    }
  }
}
