package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushes the real images to a real docker-registry and reads back what it stored. */
class PushTest {
  private static final List<String> PLAIN_HTTP = List.of("--dest-tls-verify=false");

  @TempDir static Path registryDir;
  static LocalRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.start(registryDir);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  @Test
  void push_busybox_registryServesTheLayoutsManifestBytes() throws Exception {
    TestImages.push("busybox", registry.address() + "/library/busybox:latest", PLAIN_HTTP);
    Path layout = TestImages.layout("busybox");
    String manifest = Files.readString(Layouts.blob(layout, Layouts.latest(layout).get("digest").asText()));
    assertThat(rawManifest("library/busybox:latest")).isEqualTo(manifest);
  }

  @Test
  void push_busyboxZstd_keepsTheLayerZstd() throws Exception {
    TestImages.push("busybox-zstd", registry.address() + "/test/busybox-zstd:1", PLAIN_HTTP);
    JsonNode manifest = Layouts.JSON.readTree(rawManifest("test/busybox-zstd:1"));
    assertThat(manifest.at("/layers/0/mediaType").asText())
        .isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
  }

  @Test
  void push_busyboxDocker_usesDockerMediaTypes() throws Exception {
    TestImages.push("busybox-docker", registry.address() + "/test/busybox-docker:1", PLAIN_HTTP);
    JsonNode manifest = Layouts.JSON.readTree(rawManifest("test/busybox-docker:1"));
    assertThat(manifest.get("mediaType").asText())
        .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
    assertThat(manifest.at("/config/mediaType").asText())
        .isEqualTo("application/vnd.docker.container.image.v1+json");
    assertThat(manifest.at("/layers/0/mediaType").asText())
        .isEqualTo("application/vnd.docker.image.rootfs.diff.tar.gzip");
  }

  @Test
  void push_multiarch_pushesTheIndexWithAllThreePlatforms() throws Exception {
    TestImages.push("multiarch", registry.address() + "/test/multiarch:1", PLAIN_HTTP);
    JsonNode index = Layouts.JSON.readTree(rawManifest("test/multiarch:1"));
    assertThat(index.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.index.v1+json");
    assertThat(index.get("manifests")).hasSize(3);
  }

  @Test
  void push_multiarchDocker_pushesAManifestList() throws Exception {
    TestImages.push("multiarch-docker", registry.address() + "/test/multiarch-docker:1", PLAIN_HTTP);
    JsonNode list = Layouts.JSON.readTree(rawManifest("test/multiarch-docker:1"));
    assertThat(list.get("mediaType").asText())
        .isEqualTo("application/vnd.docker.distribution.manifest.list.v2+json");
    assertThat(list.at("/manifests/2/platform/variant").asText()).isEqualTo("v7");
  }

  @Test
  void push_unreachableRegistry_throwsWithSkopeosStderr() {
    assertThatThrownBy(() -> TestImages.push("busybox", "127.0.0.1:1/library/busybox:latest", PLAIN_HTTP))
        .isInstanceOfSatisfying(TestImageException.class,
            e -> assertThat(e.toolOutput()).contains("127.0.0.1:1"))
        .hasMessageContaining("skopeo copy");
  }

  @Test
  void push_blankDestination_throwsSayingWhatToGive() {
    assertThatThrownBy(() -> TestImages.push("busybox", " ", PLAIN_HTTP))
        .isInstanceOf(TestImageException.class).hasMessageContaining("host:port/repository:tag");
  }

  @Test
  void push_destinationWithTransport_throwsSayingWhatToGive() {
    assertThatThrownBy(() -> TestImages.push("busybox", "docker://127.0.0.1:5000/x:1", PLAIN_HTTP))
        .isInstanceOf(TestImageException.class).hasMessageContaining("docker://127.0.0.1:5000/x:1");
  }

  @Test
  void push_unknownImage_throwsNamingIt() {
    assertThatThrownBy(() -> TestImages.push("nope", registry.address() + "/x/nope:1", PLAIN_HTTP))
        .isInstanceOf(TestImageException.class).hasMessageContaining("'nope'");
  }

  private static String rawManifest(String repoAndTag) throws IOException, InterruptedException {
    return Layouts.run("skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.address() + "/" + repoAndTag);
  }
}
