package dev.berth.internal.archive;

import static dev.berth.testsupport.Commands.assumeInstalled;
import static dev.berth.testsupport.Commands.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.util.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Berth writes, real skopeo and umoci read; what skopeo writes, Berth reads. */
class ArchivePeersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private DirBlobs blobs;
  private ArchiveImage image;

  @BeforeEach
  void setUp() throws Exception {
    assumeInstalled("skopeo");
    blobs = new DirBlobs(tmp.resolve("blobs"));
    image = TestImages.twoLayers(blobs, "example.com/team/hello:1.0");
  }

  @Test
  void ociDir_skopeoInspectByTag_reportsTheLayerDigests() throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    JsonNode inspect = inspect("oci:" + dir + ":1.0");
    assertThat(texts(inspect.get("Layers"))).isEqualTo(layerDigests());
  }

  @Test
  void ociDir_skopeoInspectRaw_isTheManifestByteForByte() throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    String raw = ok("skopeo", "inspect", "--raw", "oci:" + dir + ":1.0");
    assertThat(Hashes.sha256(raw.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.manifestDigest());
  }

  @Test
  void ociArchive_skopeoInspect_reportsTheLayerDigests() throws Exception {
    Path tar = tmp.resolve("hello-oci.tar");
    ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(image), blobs);
    JsonNode inspect = inspect("oci-archive:" + tar);
    assertThat(texts(inspect.get("Layers"))).isEqualTo(layerDigests());
  }

  @Test
  void dockerArchive_skopeoInspect_reportsTheDiffIdsAndTag() throws Exception {
    Path tar = tmp.resolve("hello-docker.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    JsonNode inspect = inspect("docker-archive:" + tar);
    assertThat(texts(inspect.get("Layers"))).isEqualTo(diffIds());
  }

  @Test
  void dockerArchive_skopeoInspectConfig_isTheConfigByteForByte() throws Exception {
    Path tar = tmp.resolve("hello-docker.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    String config = ok("skopeo", "inspect", "--config", "--raw", "docker-archive:" + tar);
    assertThat(Hashes.sha256(config.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(image.configDigest());
  }

  @Test
  void dockerArchive_skopeoCopyByName_findsTheRepoTag() throws Exception {
    Path tar = tmp.resolve("hello-docker.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Path out = tmp.resolve("copied");
    ok("skopeo", "copy", "docker-archive:" + tar + ":example.com/team/hello:1.0",
        "oci:" + out + ":copied");
    assertThat(out.resolve("index.json")).exists();
  }

  @Test
  void skopeoDockerArchive_read_givesTheDiffIdsAndConfigDigest() throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    Path tar = tmp.resolve("by-skopeo.tar");
    ok("skopeo", "copy", "oci:" + dir + ":1.0", "docker-archive:" + tar + ":busybox:latest");

    List<ArchiveImage> read = ArchiveReader.read(tar, new DirBlobs(tmp.resolve("in")));

    assertThat(read).hasSize(1);
    assertThat(read.get(0).configDigest()).isEqualTo(image.configDigest());
    assertThat(read.get(0).layers()).extracting(Descriptor::digest).map(Digest::toString)
        .isEqualTo(diffIds());
    assertThat(read.get(0).names()).containsExactly(ImageRef.parse("busybox:latest"));
  }

  @Test
  void skopeoOciArchive_read_keepsTheManifestDigest() throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    Path tar = tmp.resolve("by-skopeo-oci.tar");
    ok("skopeo", "copy", "oci:" + dir + ":1.0", "oci-archive:" + tar + ":example.com/a/b:2");

    List<ArchiveImage> read = ArchiveReader.read(tar, new DirBlobs(tmp.resolve("in")));

    assertThat(read).extracting(ArchiveImage::manifestDigest)
        .containsExactly(image.manifestDigest());
    assertThat(read.get(0).configDigest()).isEqualTo(image.configDigest());
    assertThat(read.get(0).names()).containsExactly(ImageRef.parse("example.com/a/b:2"));
  }

  @Test
  void skopeoOciDir_readWithABareTag_givesNoName() throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    Path copy = tmp.resolve("by-skopeo");
    ok("skopeo", "copy", "oci:" + dir + ":1.0", "oci:" + copy + ":v1");

    List<ArchiveImage> read = ArchiveReader.read(copy, new DirBlobs(tmp.resolve("in")));

    assertThat(read.get(0).manifestDigest()).isEqualTo(image.manifestDigest());
    assertThat(read.get(0).names()).isEmpty();
  }

  @Test
  void ociDir_umociUnpack_extractsTheFilesOfBothLayers() throws Exception {
    assumeInstalled("umoci");
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    Path bundle = tmp.resolve("bundle");
    ok("umoci", "unpack", "--rootless", "--image", dir + ":1.0", bundle.toString());
    assertThat(bundle.resolve("rootfs/bin/hello")).hasContent("hello from layer one");
    assertThat(bundle.resolve("rootfs/etc/motd")).hasContent("layer two");
  }

  @Test
  void dockerArchiveFromGzipLayers_skopeoCopyToOci_hasMatchingDiffIds() throws Exception {
    Path tar = tmp.resolve("hello-docker.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Path out = tmp.resolve("copied");
    ok("skopeo", "copy", "docker-archive:" + tar, "oci:" + out + ":x");
    String raw = ok("skopeo", "inspect", "--config", "--raw", "oci:" + out + ":x");
    assertThat(Manifests.parseConfig(raw.getBytes(StandardCharsets.UTF_8), "copied config")
        .diffIds()).map(Digest::toString).isEqualTo(diffIds());
    assertThat(Files.exists(out.resolve("oci-layout"))).isTrue();
  }

  private List<String> layerDigests() {
    return image.layers().stream().map(d -> d.digest().toString()).toList();
  }

  private List<String> diffIds() {
    return Manifests.parseConfig(image.config(), "config").diffIds().stream()
        .map(Digest::toString).toList();
  }

  private static JsonNode inspect(String transport) throws Exception {
    return JSON.readTree(ok("skopeo", "inspect", transport));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

}
