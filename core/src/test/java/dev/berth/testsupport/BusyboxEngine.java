package dev.berth.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.Image;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;

/**
 * What most public-API container tests start from: an engine on a test's own home, using the
 * shared test registry as docker.io mirror, with busybox pulled. Skips (with the reason) when
 * not root.
 *
 * @param berth the engine; close it after the tests
 * @param busybox the pulled busybox image
 */
public record BusyboxEngine(Berth berth, Image busybox) implements AutoCloseable {

  /** @param why what the tests do as root, for the skip message */
  public static BusyboxEngine start(Path home, String why, String... moreImages) {
    assumeTrue(Linux.isRoot(), why);
    String[] images = new String[moreImages.length + 1];
    images[0] = "busybox";
    System.arraycopy(moreImages, 0, images, 1, moreImages.length);
    TestRegistry reg = Registries.plainWith(images);
    Berth berth = Registries.engine(home, reg);
    return new BusyboxEngine(berth, berth.pull("busybox"));
  }

  @Override
  public void close() {
    berth.close();
  }
}
