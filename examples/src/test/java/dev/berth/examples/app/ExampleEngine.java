package dev.berth.examples.app;

import dev.berth.Berth;
import dev.berth.testing.TestRegistry;
import dev.berth.testimages.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Only for this repository, which may not reach Docker Hub: an engine whose docker.io mirror is
 * Berth's test registry, holding the test images as {@code library/<name>}.
 */
final class ExampleEngine {
  private ExampleEngine() {}

  static Berth withTestImages() {
    TestRegistry registry = TestRegistry.shared(TestRegistry.Variant.PLAIN);
    TestImages.push("postgres", registry.host() + "/library/postgres:latest",
        registry.skopeoDestArgs());
    return Berth.builder().home(Path.of("target", "berth-home").toAbsolutePath())
        .registryMirror(registry.host()).build();
  }

  /**
   * Root, or an unprivileged user with a subordinate id range (postgres's entrypoint switches to
   * its own user, which a single-id user namespace does not have).
   */
  static boolean runsContainers() {
    String user = System.getProperty("user.name");
    if ("root".equals(user)) {
      return true;
    }
    try {
      return Files.readAllLines(Path.of("/etc/subuid")).stream().anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }
}
