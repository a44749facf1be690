package dev.berth;

import static dev.berth.testsupport.Commands.assumeInstalled;
import static dev.berth.testsupport.Commands.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testimages.TestImages;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code image.push} against the real registry, checked with skopeo; and skopeo's pushes pulled. */
class ImagePushTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox", "node");
  }

  @Test
  void push_newRepository_skopeoCopiesBackTheSameManifestAndLayers() throws Exception {
    assumeInstalled("skopeo");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image node = berth.pull("node");
      String target = reg.host() + "/pushed/node-" + System.nanoTime() + ":1";
      assertThat(node.push(target)).isEqualTo(node.manifestDigest());

      List<String> copy = new ArrayList<>(List.of("skopeo", "copy"));
      copy.addAll(reg.skopeoSrcArgs());
      copy.addAll(List.of("docker://" + target, "oci:" + tmp.resolve("copy") + ":t"));
      ok(copy.toArray(String[]::new));
      JsonNode index = JSON.readTree(tmp.resolve("copy/index.json").toFile());
      String digest = index.get("manifests").get(0).get("digest").asText();
      assertThat(digest).isEqualTo(node.manifestDigest().toString());
      JsonNode manifest = JSON.readTree(
          tmp.resolve("copy/blobs/sha256").resolve(digest.substring(7)).toFile());
      List<String> layers = new ArrayList<>();
      manifest.get("layers").forEach(l -> layers.add(l.get("digest").asText()));
      assertThat(layers).isEqualTo(node.record().layerDigests());
    }
  }

  @Test
  void push_toAnotherRepositoryOfTheSameRegistry_mountsTheBlobs() {
    try (FaultProxy proxy = FaultProxy.start(reg);
        Berth berth = Berth.builder().home(tmp.resolve("home")).build()) {
      Image image = berth.pull(proxy.host() + "/busybox");
      proxy.clearRequests();
      image.push(proxy.host() + "/mounted/busybox-" + System.nanoTime() + ":1");
      assertThat(proxy.requests()).anyMatch(r -> r.method().equals("POST")
          && r.path().contains("mount=") && r.path().contains("from=busybox"));
      assertThat(proxy.requests()).noneMatch(r -> r.method().equals("PATCH"));
    }
  }

  @Test
  void push_basicRegistryWithCredentials_succeeds() {
    assertPushWithCredentials(TestRegistry.shared(TestRegistry.Variant.BASIC));
  }

  @Test
  void push_tokenRegistryWithCredentials_succeeds() {
    assertPushWithCredentials(TestRegistry.shared(TestRegistry.Variant.TOKEN));
  }

  @Test
  void push_wrongPassword_throwsAuthentication() {
    TestRegistry basic = TestRegistry.shared(TestRegistry.Variant.BASIC);
    try (Berth berth = Berth.builder().home(tmp.resolve("home")).registryMirror(reg.host())
        .credentials(basic.host(), basic.username(), "wrong-password").build()) {
      Image image = berth.pull("busybox");
      assertThatThrownBy(() -> image.push(basic.host() + "/denied/busybox:1"))
          .isInstanceOf(AuthenticationException.class).hasMessageContaining(basic.host());
    }
  }

  @Test
  void push_imageRemovedMeanwhile_throwsImageNotFound() {
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull("busybox");
      berth.removeImage("busybox", false);
      assertThatThrownBy(() -> image.push(reg.host() + "/gone/busybox:1"))
          .isInstanceOf(ImageNotFoundException.class).hasMessageContaining(image.id().toString());
    }
  }

  @Test
  void pull_imagePushedBySkopeo_hasTheLayoutsManifestDigest() throws Exception {
    JsonNode index = JSON.readTree(TestImages.layout("busybox").resolve("index.json").toFile());
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull(reg.host() + "/busybox"); // Registries pushed it with skopeo
      assertThat(image.manifestDigest().toString())
          .isEqualTo(index.get("manifests").get(0).get("digest").asText());
    }
  }

  private void assertPushWithCredentials(TestRegistry target) {
    try (Berth berth = Berth.builder().home(tmp.resolve("home")).registryMirror(reg.host())
        .credentials(target.host(), target.username(), target.password()).build()) {
      Image image = berth.pull("busybox");
      String ref = target.host() + "/pushed/busybox-" + System.nanoTime() + ":1";
      image.push(ref);
      Image back = berth.pull(ref);
      assertThat(back.manifestDigest()).isEqualTo(image.manifestDigest());
    }
  }
}
