package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.internal.linux.Linux;
import java.nio.file.Path;

/**
 * One engine per test JVM for the fixture tests, whose registry mirror is the shared test
 * registry holding the test images. Its home, {@code target/berth-fixture-home}, is kept between
 * runs (several JVMs may share a home) so that images are pulled once; {@code mvn clean} removes it.
 */
public final class FixtureEngines {
  private static Berth engine;

  private FixtureEngines() {}

  /** @return the engine, with {@code images} pushed to its registry */
  public static synchronized Berth with(String... images) {
    var registry = Registries.plainWith(images);
    if (engine == null) {
      engine = Registries.engine(Path.of("target", "berth-fixture-home").toAbsolutePath(),
          registry);
    }
    return engine;
  }

  /** For {@code @EnabledIf}: fixtures run containers, which these tests do as root. */
  public static boolean runsContainers() {
    return Linux.isRoot();
  }
}
