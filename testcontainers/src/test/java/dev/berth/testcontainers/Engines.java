package dev.berth.testcontainers;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which engine Testcontainers runs on in this test JVM: Berth in-JVM (the default, through the
 * module's own strategy) or podman's API service ({@code -Dberth.it.engine=podman}, through
 * {@link PodmanServiceStrategy}). Both get their images from the test registry. Test classes call
 * {@link #setUp()} in a static initializer, before Testcontainers looks for a Docker.
 */
final class Engines {
  static final String ENGINE = System.getProperty("berth.it.engine", "berth");
  static final String[] IMAGES = {"busybox", "postgres"};
  private static TestRegistry registry;
  private static Path berthHome;

  private Engines() {}

  static synchronized void setUp() {
    if (registry != null) {
      return;
    }
    registry = Registries.plainWith(IMAGES);
    if (isPodman()) {
      System.setProperty("berth.testcontainers", "false"); // podman or nothing: no quiet fallback
      PodmanService.start(registry.host(), IMAGES);
      return;
    }
    try {
      // one home for every run of this module: images pulled once (several JVMs may share it)
      berthHome = Files.createDirectories(Path.of("target", "berth-home").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.setProperty("berth.home", berthHome.toString());
    System.setProperty("berth.registryMirrors", registry.host());
  }

  static boolean isPodman() {
    return ENGINE.equals("podman");
  }

  static String registryHost() {
    setUp();
    return registry.host();
  }
}
