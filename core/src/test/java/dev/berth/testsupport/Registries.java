package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test registries holding the test images, shared per JVM: each image is pushed once, under
 * {@code <name>:latest} and, so the registry doubles as a docker.io mirror, under
 * {@code library/<name>:latest}.
 */
public final class Registries {
  private static final Map<String, Boolean> PUSHED = new ConcurrentHashMap<>();

  private Registries() {}

  /** The shared plain-HTTP registry, with {@code images} pushed to it. */
  public static TestRegistry plainWith(String... images) {
    return with(TestRegistry.shared(TestRegistry.Variant.PLAIN), images);
  }

  /** A shared registry of {@code variant}, with {@code images} pushed to it. */
  public static TestRegistry with(TestRegistry registry, String... images) {
    for (String image : images) {
      PUSHED.computeIfAbsent(registry.host() + "/" + image, k -> {
        TestImages.push(image, registry.host() + "/" + image + ":latest",
            registry.skopeoDestArgs());
        TestImages.push(image, registry.host() + "/library/" + image + ":latest",
            registry.skopeoDestArgs());
        return true;
      });
    }
    return registry;
  }

  /** An engine on a fresh home under {@code dir}, using {@code registry} as docker.io mirror. */
  public static Berth engine(Path dir, TestRegistry registry) {
    return engine(dir, registry.host());
  }

  /** An engine on a fresh home under {@code dir}, using the registry at {@code host} as docker.io mirror. */
  public static Berth engine(Path dir, String host) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Berth.builder().home(dir).registryMirror(host).build();
  }
}
