package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testimages.TestImages;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulling an image that is stored and still current costs one HEAD request and no blob. */
class RepullTest {
  @TempDir Path home;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox");
  }

  @Test
  void pull_ofAPresentTag_isOneHeadRequestAndNoBlob() {
    try (FaultProxy proxy = FaultProxy.start(reg);
        Berth berth = Berth.builder().home(home).build()) {
      Image first = berth.pull(proxy.host() + "/busybox");
      proxy.clearRequests();
      Image again = berth.pull(proxy.host() + "/busybox");
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(proxy.requests()).extracting(FaultProxy.Request::method, r -> r.path().contains("/manifests/"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("HEAD", true));
    }
  }

  @Test
  void pull_ofADigestThatIsStored_asksTheRegistryNothing() {
    try (FaultProxy proxy = FaultProxy.start(reg);
        Berth berth = Berth.builder().home(home).build()) {
      Image first = berth.pull(proxy.host() + "/busybox");
      String byDigest = first.inspect().repoDigests().get(0);
      proxy.clearRequests();
      assertThat(berth.pull(byDigest).id()).isEqualTo(first.id());
      assertThat(proxy.requests()).isEmpty();
    }
  }

  @Test
  void pull_ofATagMovedToAnotherImage_pullsTheNewOne() {
    String tag = reg.host() + "/moving:latest";
    TestImages.push("busybox", tag, reg.skopeoDestArgs());
    try (Berth berth = Berth.builder().home(home).build()) {
      Image before = berth.pull(tag);
      TestImages.push("busybox-docker", tag, reg.skopeoDestArgs()); // another manifest
      Image after = berth.pull(tag);
      assertThat(after.inspect().repoDigests())
          .anyMatch(d -> !before.inspect().repoDigests().contains(d));
      assertThat(after.inspect().repoTags()).contains(tag);
    }
  }
}
