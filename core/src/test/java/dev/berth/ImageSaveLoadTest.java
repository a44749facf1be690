package dev.berth;

import static dev.berth.testsupport.Commands.assumeInstalled;
import static dev.berth.testsupport.Commands.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image.save} and {@code Berth.load}, round trips and the peers' view of the files. */
class ImageSaveLoadTest {
  @TempDir Path tmp;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("node", "busybox");
  }

  @Test
  void saveOciArchive_thenLoad_keepsManifestDigestAndId() {
    assertRoundTripKeepsManifest(tmp.resolve("node.tar"), SaveFormat.OCI_ARCHIVE);
  }

  @Test
  void saveOciLayout_thenLoad_keepsManifestDigestAndId() {
    assertRoundTripKeepsManifest(tmp.resolve("node-layout"), SaveFormat.OCI_LAYOUT);
  }

  @Test
  void saveDockerArchive_thenLoad_keepsIdAndDiffIds() {
    Path file = tmp.resolve("node.tar");
    Image saved = savedNode(file, SaveFormat.DOCKER_ARCHIVE);
    try (Berth other = Registries.engine(tmp.resolve("other"), reg)) {
      Image loaded = other.load(file).get(0);
      assertThat(loaded.id()).isEqualTo(saved.id());
      assertThat(loaded.inspect().layers()).isEqualTo(saved.inspect().layers());
      assertThat(loaded.inspect().repoTags()).containsExactly("docker.io/library/node:latest");
    }
  }

  @Test
  void save_withoutFormat_writesADockerArchiveSkopeoReads() throws Exception {
    assumeInstalled("skopeo");
    Path file = tmp.resolve("busybox.tar");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("busybox");
      image.save(file);
      assertThat(ok("skopeo", "inspect", "--raw", "docker-archive:" + file))
          .contains(image.id().toString());
      ok("skopeo", "copy", "docker-archive:" + file, "oci:" + tmp.resolve("copy") + ":t");
      String config = ok("skopeo", "inspect", "--config", "oci:" + tmp.resolve("copy") + ":t");
      image.inspect().layers().forEach(diffId -> assertThat(config).contains(diffId.toString()));
    }
  }

  @Test
  void saveOciArchive_isReadBySkopeoWithTheSameDigest() throws Exception {
    assumeInstalled("skopeo");
    Path file = tmp.resolve("busybox.tar");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("busybox");
      image.save(file, SaveFormat.OCI_ARCHIVE);
      assertThat(ok("skopeo", "inspect", "oci-archive:" + file)).contains("\"Digest\": \""
          + image.manifestDigest() + "\"");
      ok("skopeo", "copy", "oci-archive:" + file, "oci:" + tmp.resolve("copy") + ":t");
      assertThat(ok("cat", tmp.resolve("copy/index.json").toString()))
          .contains(image.manifestDigest().toString());
    }
  }

  @Test
  void load_fileThatIsNotAnImageArchive_throwsNamingIt() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.tar"), "just some text, not a tar");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      assertThatThrownBy(() -> berth.load(file))
          .isInstanceOf(BerthException.class).hasMessageContaining(file.toString());
      assertThat(berth.images()).isEmpty();
    }
  }

  @Test
  void load_missingFile_throwsNamingIt() {
    Path file = tmp.resolve("missing.tar");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      assertThatThrownBy(() -> berth.load(file))
          .isInstanceOf(BerthException.class).hasMessageContaining(file.toString());
    }
  }

  @Test
  void save_imageRemovedMeanwhile_throwsImageNotFound() {
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("busybox");
      berth.removeImage("busybox", false);
      assertThatThrownBy(() -> image.save(tmp.resolve("b.tar")))
          .isInstanceOf(ImageNotFoundException.class).hasMessageContaining(image.id().toString());
      assertThat(tmp.resolve("b.tar")).doesNotExist();
    }
  }

  @Test
  void unpackTo_nonEmptyDirectory_isRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(dir.resolve("x"), "x");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("busybox");
      assertThatThrownBy(() -> image.unpackTo(dir))
          .isInstanceOf(BerthException.class).hasMessageContaining(dir + ": it is not empty");
    }
  }

  private void assertRoundTripKeepsManifest(Path target, SaveFormat format) {
    Image saved = savedNode(target, format);
    try (Berth other = Registries.engine(tmp.resolve("other"), reg)) {
      List<Image> loaded = other.load(target);
      assertThat(loaded).hasSize(1);
      assertThat(loaded.get(0).manifestDigest()).isEqualTo(saved.manifestDigest());
      assertThat(loaded.get(0).id()).isEqualTo(saved.id());
      assertThat(loaded.get(0).inspect().repoTags()).containsExactly("docker.io/library/node:latest");
    }
  }

  private Image savedNode(Path target, SaveFormat format) {
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("node");
      image.save(target, format);
      return image;
    }
  }
}
