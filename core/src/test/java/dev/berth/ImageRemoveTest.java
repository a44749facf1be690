package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker rmi} and {@code docker image prune} semantics, and the GC behind them. */
class ImageRemoveTest {
  @TempDir Path home;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox", "multiarch");
  }

  @Test
  void remove_unknownImage_throwsImageNotFoundNamingIt() {
    try (Berth berth = Registries.engine(home, reg)) {
      assertThatThrownBy(() -> berth.removeImage("nosuch:1", false))
          .isInstanceOf(ImageNotFoundException.class).hasMessageContaining("nosuch:1");
    }
  }

  @Test
  void remove_oneOfSeveralTags_onlyUntags() {
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      image.tag("mine:1");
      ImageRemoval r = berth.removeImage("mine:1", false);
      assertThat(r.untagged()).containsExactly("docker.io/library/mine:1");
      assertThat(r.deleted()).isEmpty();
      assertThat(berth.image("busybox").inspect().repoTags())
          .containsExactly("docker.io/library/busybox:latest");
    }
  }

  @Test
  void remove_byIdWithSeveralTags_isRefusedWithoutForce() {
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      image.tag("mine:1");
      assertThatThrownBy(() -> berth.removeImage(image.id().hex(), false))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("must be forced").hasMessageContaining("docker.io/library/mine:1");
    }
  }

  @Test
  void remove_byIdWithForce_deletesTheImageWithAllItsNames() {
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      image.tag("mine:1");
      ImageRemoval r = berth.removeImage(image.id().toString(), true);
      assertThat(r.deleted()).containsExactly(image.id());
      assertThat(r.untagged()).hasSize(2);
      assertThat(berth.images()).isEmpty();
    }
  }

  @Test
  void remove_lastName_deletesLayersAndBlobs() throws IOException {
    try (Berth berth = Registries.engine(home, reg)) {
      berth.pull("busybox");
      ImageRemoval r = berth.removeImage("busybox", false);
      assertThat(r.reclaimedBytes()).isPositive();
      assertThat(entries(home.resolve("layers"))).isZero();
      assertThat(entries(home.resolve("blobs/sha256"))).isZero();
    }
  }

  @Test
  void remove_oneOfTwoImages_keepsEveryLayerOfTheOther() throws IOException {
    try (Berth berth = Registries.engine(home, reg)) {
      Image busybox = berth.pull("busybox");
      berth.pull("multiarch");
      berth.removeImage("multiarch", false);
      assertThat(entries(home.resolve("layers"))).isEqualTo(busybox.record().chainIds().size());
      Path dir = home.resolve("flat");
      busybox.unpackTo(dir); // needs every layer blob of the kept image
      assertThat(dir.resolve("bin/busybox")).exists();
    }
  }

  @Test
  void remove_whileAContainerExists_isRefusedNamingTheContainer() throws Exception {
    assumeThat(Linux.isRoot()).as("running a container needs root here").isTrue();
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      try (Container c = image.run("true")) {
        c.waitFor();
        assertThatThrownBy(() -> berth.removeImage("busybox", false))
            .isInstanceOf(BerthException.class).hasMessageContaining(c.name())
            .hasMessageContaining("remove the container first");
      }
    }
  }

  @Test
  void remove_forcedWhileAContainerExists_keepsTheContainersLayers() throws Exception {
    assumeThat(Linux.isRoot()).as("running a container needs root here").isTrue();
    try (Berth berth = Registries.engine(home, reg)) {
      Image image = berth.pull("busybox");
      try (Container c = image.run("true")) {
        c.waitFor();
        berth.removeImage("busybox", true);
        for (String chainId : image.record().chainIds()) {
          assertThat(home.resolve("layers").resolve(Digest.parse(chainId).hex()).resolve("layer.json"))
              .exists();
        }
      }
    }
  }

  @Test
  void prune_imageThatLostItsLastName_isDeleted() {
    try (Berth berth = Registries.engine(home, reg)) {
      Image busybox = berth.pull("busybox");
      berth.pull("multiarch").tag("busybox"); // the name moves: busybox's image is now untagged
      ImageRemoval r = berth.pruneImages();
      assertThat(r.deleted()).containsExactly(busybox.id());
      assertThat(berth.images()).extracting(Image::id).doesNotContain(busybox.id());
    }
  }

  @Test
  void prune_taggedImages_areKept() {
    try (Berth berth = Registries.engine(home, reg)) {
      berth.pull("busybox");
      assertThat(berth.pruneImages().deleted()).isEmpty();
      assertThat(berth.images()).hasSize(1);
    }
  }

  private static long entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
