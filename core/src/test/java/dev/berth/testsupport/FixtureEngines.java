package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.internal.linux.Linux;
import dev.berth.testimages.TestImages;
import java.nio.file.Path;

/**
 * One engine per test JVM for the fixture tests, whose registry mirror is the shared test
 * registry holding the test images. Its home, {@code target/berth-fixture-home-<key>}, is kept between
 * runs (several JVMs may share a home) so that images are pulled once, and named by the builds of
 * the images it pulls, so that a rebuilt image is pulled anew; {@code mvn clean} removes it.
 *
 * <p>Rootless, {@code dev.berth.rootless.RootlessFixturesTest} runs the same fixture test classes
 * in a JVM of an unprivileged user, setting {@value #REGISTRY_PROPERTY} (the registry root already
 * pushed the images to) and {@value #HOME_PROPERTY} (a home that user owns).
 */
public final class FixtureEngines {
  /** System property: host:port of a registry that already holds the test images. */
  public static final String REGISTRY_PROPERTY = "berth.fixtures.registry";
  /** System property: the engine's home, instead of {@code target/berth-fixture-home-<key>}. */
  public static final String HOME_PROPERTY = "berth.fixtures.home";
  /** Why the fixture test classes are skipped in a JVM that is not root. */
  public static final String NOT_HERE = "fixture tests start containers in the test JVM only as root;"
      + " rootless, dev.berth.rootless.RootlessFixturesTest runs these classes as an unprivileged"
      + " user it creates (run the tests as root)";

  private static Berth engine;

  private FixtureEngines() {}

  /** @return the engine, with {@code images} pushed to its registry */
  public static synchronized Berth with(String... images) {
    String registry = registryHost(images);
    if (engine == null) {
      engine = Registries.engine(Path.of(System.getProperty(HOME_PROPERTY, defaultHome()))
          .toAbsolutePath(), registry);
    }
    return engine;
  }

  /**
   * {@code target/berth-fixture-home-<key>}, the key naming the builds of the fixture images: a
   * home keeps its pulled images between runs, so an image rebuilt from a changed recipe must
   * not find the old one there under the same tag.
   */
  static String defaultHome() {
    String keys = String.join(" ", TestImages.cacheKey("busybox"), TestImages.cacheKey("postgres"),
        TestImages.cacheKey("redis"));
    return "target/berth-fixture-home-" + Integer.toHexString(keys.hashCode());
  }

  /** @return host:port of the registry (a docker.io mirror) holding {@code images} */
  public static String registryHost(String... images) {
    String given = System.getProperty(REGISTRY_PROPERTY);
    return given != null ? given : Registries.plainWith(images).host();
  }

  /**
   * For {@code @EnabledIf}: fixtures run containers in this JVM as root, or as the unprivileged
   * user of {@code RootlessFixturesTest}.
   */
  public static boolean runsContainers() {
    return Linux.isRoot() || System.getProperty(REGISTRY_PROPERTY) != null;
  }
}
