package dev.berth.testimages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real images, built into the real cache (node needs root and a few minutes once). */
class TestImagesTest {
  private static final List<String> ALL = List.of(
      "busybox", "busybox-docker", "busybox-zstd", "debian-base", "multiarch", "multiarch-docker",
      "node", "postgres", "redis");

  @Test
  void names_listsEveryRecipe() {
    assertThat(TestImages.names()).containsExactlyElementsOf(ALL);
  }

  @Test
  void layout_unknownName_throwsNamingKnownRecipes() {
    assertThatThrownBy(() -> TestImages.layout("no-such-image"))
        .isInstanceOf(TestImageException.class)
        .hasMessageContaining("no-such-image").hasMessageContaining("busybox");
  }

  @Test
  void layout_secondCall_isServedFromCacheInMilliseconds() {
    Path first = TestImages.layout("busybox");
    long start = System.nanoTime();
    Path second = TestImages.layout("busybox");
    assertThat(second).isEqualTo(first);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"busybox", "busybox-docker", "busybox-zstd", "multiarch",
      "multiarch-docker", "node"})
  void layout_everyBlobReferenced_matchesItsDigestAndSize(String name) throws IOException {
    Path layout = layoutOrSkip(name);
    List<JsonNode> descriptors = new ArrayList<>(List.of(Layouts.latest(layout)));
    for (int i = 0; i < descriptors.size(); i++) {
      JsonNode d = descriptors.get(i);
      Path blob = Layouts.blob(layout, d.get("digest").asText());
      assertThat(Layouts.sha256(blob)).as("digest of %s", d).isEqualTo(d.get("digest").asText());
      assertThat(Files.size(blob)).as("size of %s", d).isEqualTo(d.get("size").asLong());
      String type = d.get("mediaType").asText();
      if (type.endsWith("index.v1+json") || type.endsWith("manifest.v1+json")) {
        JsonNode doc = Layouts.json(layout, d.get("digest").asText());
        doc.path("manifests").forEach(descriptors::add);
        if (doc.has("config")) {
          descriptors.add(doc.get("config"));
        }
        doc.path("layers").forEach(descriptors::add);
      }
    }
    assertThat(descriptors).hasSizeGreaterThanOrEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"busybox", "busybox-zstd", "node"})
  void layout_singleImage_isInspectableBySkopeo(String name) throws Exception {
    Path layout = layoutOrSkip(name);
    JsonNode inspected = Layouts.JSON.readTree(Layouts.run("skopeo", "inspect", "oci:" + layout + ":latest"));
    assertThat(inspected.get("Layers").size()).isEqualTo(Layouts.manifest(layout).get("layers").size());
  }

  @Test
  void layout_multiarch_isCopiedWholeBySkopeo(@TempDir Path tmp) throws Exception {
    Path layout = TestImages.layout("multiarch");
    Layouts.run("skopeo", "copy", "--all", "--quiet", "oci:" + layout + ":latest", "oci:" + tmp + "/copy:latest");
    assertThat(Layouts.json(tmp.resolve("copy"), Layouts.latest(tmp.resolve("copy")).get("digest").asText())
        .get("manifests")).hasSize(3);
  }

  @Test
  void layout_busybox_unpacksWithUmociIntoRunnableShell() throws Exception {
    assumeTrue(LayerMaker.isRoot(), "umoci unpack keeps owners only as root");
    Path rootfs = Layouts.unpack(TestImages.layout("busybox"));
    assertThat(Files.readSymbolicLink(rootfs.resolve("bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
    assertThat(Layouts.run("chroot", rootfs.toString(), "/bin/sh", "-c", "echo hi; id -u app"))
        .isEqualTo("hi\n1000\n");
  }

  @Test
  void layout_busybox_homeOfAppIsOwnedByApp() throws IOException {
    Path layout = TestImages.layout("busybox");
    Map<String, TarArchiveEntry> entries =
        Layouts.entries(layout, Layouts.manifest(layout).get("layers").get(0));
    assertThat(entries.get("home/app/").getLongUserId()).isEqualTo(1000);
    assertThat(entries.get("tmp/").getMode() & 07777).isEqualTo(01777);
    assertThat(entries).containsKeys("bin/busybox", "usr/bin/env", "etc/passwd", "etc/group");
  }

  @Test
  void layout_busybox_hasShCmdAndPath() throws IOException {
    Path layout = TestImages.layout("busybox");
    JsonNode config = Layouts.json(layout, Layouts.manifest(layout).get("config").get("digest").asText());
    assertThat(config.at("/config/Cmd/0").asText()).isEqualTo("sh");
    assertThat(config.at("/config/Env/0").asText()).startsWith("PATH=/usr/local/sbin:");
    assertThat(config.at("/rootfs/diff_ids")).hasSize(1);
  }

  @Test
  void layout_busyboxZstd_compressesItsLayerWithZstd() throws IOException {
    Path layout = TestImages.layout("busybox-zstd");
    JsonNode layer = Layouts.manifest(layout).get("layers").get(0);
    assertThat(layer.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
    assertThat(Layouts.entries(layout, layer)).containsKey("bin/busybox");
  }

  @Test
  void layout_multiarch_eachPlatformsArchFileNamesItsPlatform() throws IOException {
    Path layout = TestImages.layout("multiarch");
    JsonNode index = Layouts.json(layout, Layouts.latest(layout).get("digest").asText());
    List<String> seen = new ArrayList<>();
    for (JsonNode m : index.get("manifests")) {
      JsonNode p = m.get("platform");
      String platform = p.get("os").asText() + "/" + p.get("architecture").asText()
          + (p.has("variant") ? "/" + p.get("variant").asText() : "");
      JsonNode layers = Layouts.json(layout, m.get("digest").asText()).get("layers");
      assertThat(Layouts.fileContent(layout, layers.get(layers.size() - 1), "arch")).isEqualTo(platform + "\n");
      seen.add(platform);
    }
    assertThat(seen).containsExactly("linux/amd64", "linux/arm64", "linux/arm/v7");
  }

  @Test
  void layout_node_rootfsHasNodeAndTheApp() throws Exception {
    Path layout = layoutOrSkip("node");
    Path rootfs = Layouts.unpack(layout);
    assertThat(rootfs.resolve("usr/bin/node")).isExecutable();
    assertThat(rootfs.resolve("app/server.js")).content().contains("hello from berth");
    assertThat(rootfs.resolve("var/lib/apt/lists")).isDirectory();
    assertThat(Layouts.run("chroot", rootfs.toString(), "node", "-e", "console.log(1+1)")).isEqualTo("2\n");
  }

  @Test
  void layout_node_serverAnswersHelloFromBerth() throws Exception {
    Path rootfs = Layouts.unpack(layoutOrSkip("node"));
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder("chroot", rootfs.toString(), "node", "/app/server.js")
        .redirectErrorStream(true);
    builder.environment().put("PORT", String.valueOf(port));
    Process server = builder.start();
    try {
      assertThat(Layouts.httpGet("http://127.0.0.1:" + port + "/", 20)).isEqualTo("hello from berth\n");
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void layout_node_hasThreeLayersWithHistoryAndConfig() throws IOException {
    Path layout = layoutOrSkip("node");
    JsonNode config = Layouts.json(layout, Layouts.manifest(layout).get("config").get("digest").asText());
    assertThat(config.at("/rootfs/diff_ids")).hasSize(3);
    assertThat(config.get("history")).hasSize(3);
    assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/app");
    assertThat(config.at("/config/ExposedPorts").has("3000/tcp")).isTrue();
    assertThat(config.at("/config/Cmd").toString()).isEqualTo("[\"node\"]");
  }

  @Test
  void containerfileContext_node_holdsTheContainerfileAndTheApp() {
    Path context = TestImages.containerfileContext("node");
    assertThat(context.resolve("Containerfile")).content().contains("FROM ${BASE}");
    assertThat(context.resolve("app/server.js")).content().contains("hello from berth");
  }

  @Test
  void containerfileContext_unknownName_throwsNamingTheExpectedPath() {
    assertThatThrownBy(() -> TestImages.containerfileContext("nope"))
        .isInstanceOf(TestImageException.class)
        .hasMessageContaining("src-test-images/containerfiles/nope/Containerfile");
  }

  @Test
  void cacheRoot_isWhereTheLayoutsAre() {
    assertThat(TestImages.layout("busybox").getParent()).isEqualTo(TestImages.cacheRoot());
  }

  @Test
  void layout_debianBase_isOneDebootstrapLayerWithAptAndWithoutNode() throws Exception {
    Path layout = layoutOrSkip("debian-base");
    JsonNode config = Layouts.json(layout, Layouts.manifest(layout).get("config").get("digest").asText());
    assertThat(config.at("/rootfs/diff_ids")).hasSize(1);
    Path rootfs = Layouts.unpack(layout);
    assertThat(rootfs.resolve("usr/bin/apt-get")).isExecutable();
    assertThat(rootfs.resolve("usr/bin/node")).doesNotExist();
    assertThat(Layouts.run("chroot", rootfs.toString(), "sh", "-c", ". /etc/os-release; echo $VERSION_CODENAME"))
        .isEqualTo("bookworm\n");
  }

  /** node and debian-base need root (debootstrap); the first build takes minutes, then is cached. */
  static Path layoutOrSkip(String name) {
    if (name.equals("node") || name.equals("debian-base")) {
      assumeTrue(LayerMaker.isRoot(), "the " + name + " image needs root (debootstrap, overlayfs, chroot)");
    }
    return TestImages.layout(name);
  }
}
