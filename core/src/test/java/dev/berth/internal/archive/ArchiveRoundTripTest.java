package dev.berth.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.Platform;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageIndex;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.manifest.PlatformSpec;
import dev.berth.internal.util.Hashes;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveRoundTripTest {
  @TempDir Path tmp;
  private DirBlobs blobs;
  private DirBlobs loaded;
  private ArchiveImage image;

  @BeforeEach
  void setUp() throws Exception {
    blobs = new DirBlobs(tmp.resolve("blobs"));
    loaded = new DirBlobs(tmp.resolve("loaded"));
    image = TestImages.twoLayers(blobs, "busybox:latest", "example.com/team/hello:1.0");
  }

  @Test
  void ociDir_writeThenRead_givesTheSameImage() {
    Path dir = tmp.resolve("layout");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    assertThat(ArchiveReader.read(dir, loaded)).containsExactly(image);
  }

  @Test
  void ociArchive_writeThenRead_givesTheSameImage() {
    Path tar = tmp.resolve("a.tar");
    ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(image), blobs);
    assertThat(ArchiveReader.read(tar, loaded)).containsExactly(image);
  }

  @Test
  void ociArchive_read_handsEveryLayerToTheSinkWithItsBytes() throws Exception {
    Path tar = tmp.resolve("a.tar");
    ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(image), blobs);
    ArchiveReader.read(tar, loaded);
    for (Descriptor layer : image.layers()) {
      assertThat(loaded.bytes(layer.digest())).isEqualTo(blobs.bytes(layer.digest()));
    }
  }

  @Test
  void dockerArchive_writeThenRead_keepsConfigNamesAndDiffIds() {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    ArchiveImage back = ArchiveReader.read(tar, loaded).get(0);
    assertThat(back.configDigest()).isEqualTo(image.configDigest());
    assertThat(back.names()).isEqualTo(image.names());
    assertThat(back.layers()).extracting(Descriptor::digest).isEqualTo(diffIds(image));
  }

  @Test
  void dockerArchive_read_buildsAnOciManifestOfUncompressedLayers() {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    ArchiveImage back = ArchiveReader.read(tar, loaded).get(0);
    assertThat(back.manifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    assertThat(back.layers()).extracting(Descriptor::mediaType)
        .containsOnly(MediaTypes.OCI_LAYER);
  }

  @Test
  void dockerArchive_readTwice_computesTheSameManifestDigest() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Digest first = ArchiveReader.read(tar, loaded).get(0).manifestDigest();
    Digest second = ArchiveReader.read(tar, new DirBlobs(tmp.resolve("again"))).get(0).manifestDigest();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void dockerArchive_write_namesRepoTagsInFamiliarForm() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    String manifest = new String(Tars.files(tar).get("manifest.json"), StandardCharsets.UTF_8);
    assertThat(manifest).contains("\"RepoTags\":[\"busybox:latest\",\"example.com/team/hello:1.0\"]");
  }

  @Test
  void dockerArchive_write_mapsEachRepositoryTagToTheTopLayerInRepositories() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    String repositories =
        new String(Tars.files(tar).get("repositories"), StandardCharsets.UTF_8);
    String top = diffIds(image).get(1).hex();
    assertThat(repositories).isEqualTo("{\"busybox\":{\"latest\":\"" + top + "\"},"
        + "\"example.com/team/hello\":{\"1.0\":\"" + top + "\"}}");
  }

  @Test
  void dockerArchive_write_storesLayersUncompressedUnderTheirDiffId() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Map<String, byte[]> files = Tars.files(tar);
    for (Digest diffId : diffIds(image)) {
      assertThat(Hashes.sha256(files.get(diffId.hex() + "/layer.tar"))).isEqualTo(diffId);
    }
  }

  @Test
  void ociArchive_write_annotatesTagAndFullName() throws Exception {
    Path tar = tmp.resolve("a.tar");
    ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(image), blobs);
    ImageIndex index = (ImageIndex) Manifests.parse(Tars.files(tar).get("index.json"), null);
    assertThat(index.manifests()).extracting(Descriptor::annotations).containsExactly(
        Map.of("org.opencontainers.image.ref.name", "latest",
            "io.containerd.image.name", "docker.io/library/busybox:latest"),
        Map.of("org.opencontainers.image.ref.name", "1.0",
            "io.containerd.image.name", "example.com/team/hello:1.0"));
  }

  @Test
  void write_twoImagesSharingALayer_storesItOnce() throws Exception {
    TestImages.Layer shared = TestImages.layer(Map.of("base", "shared\n"));
    ArchiveImage a = TestImages.image(blobs, List.of(ImageRef.parse("a:1")), "amd64",
        List.of(shared, TestImages.layer(Map.of("a", "a\n"))));
    ArchiveImage b = TestImages.image(blobs, List.of(ImageRef.parse("b:1")), "amd64",
        List.of(shared, TestImages.layer(Map.of("b", "b\n"))));
    Path tar = tmp.resolve("two.tar");
    ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(a, b), blobs);

    assertThat(ArchiveReader.read(tar, loaded)).containsExactly(a, b);
    assertThat(loaded.accepted()).hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  void read_gzipCompressedDockerArchive_readsLikeThePlainOne() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Path gz = tmp.resolve("d.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(tar, out);
    }
    ArchiveImage plain = ArchiveReader.read(tar, loaded).get(0);
    assertThat(ArchiveReader.read(gz, new DirBlobs(tmp.resolve("gz"))))
        .containsExactly(plain);
  }

  @Test
  void read_dockerArchiveWithRepeatedLayerAsSymlink_followsTheLink() throws Exception {
    Path tar = tmp.resolve("d.tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    Map<String, byte[]> files = Tars.files(tar);
    Digest top = diffIds(image).get(1);
    List<Tars.Item> items = new java.util.ArrayList<>();
    files.forEach((name, bytes) -> items.add(name.equals(top.hex() + "/layer.tar")
        ? Tars.Item.file("moved/layer.tar", bytes) : Tars.Item.file(name, bytes)));
    items.add(Tars.Item.symlink(top.hex() + "/layer.tar", "../moved/layer.tar"));
    Path linked = tmp.resolve("linked.tar");
    Tars.write(linked, items);

    assertThat(ArchiveReader.read(linked, loaded).get(0).layers())
        .extracting(Descriptor::digest).isEqualTo(diffIds(image));
  }

  @Test
  void read_docker25ArchiveWithOciLayout_keepsTheManifestDigestAndAddsRepoTags()
      throws Exception {
    Path dir = tmp.resolve("layout");
    ArchiveImage unnamed = new ArchiveImage(List.of(), image.manifest(),
        image.manifestMediaType(), image.manifestDigest(), image.config(), image.configDigest(),
        image.layers());
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(unnamed), blobs);
    Files.writeString(dir.resolve("manifest.json"), "[{\"Config\":\"blobs/sha256/"
        + image.configDigest().hex() + "\",\"RepoTags\":[\"busybox:latest\"],\"Layers\":[]}]");
    Path tar = tmp.resolve("docker25.tar");
    Tars.tarDirectory(dir, tar);

    List<ArchiveImage> read = ArchiveReader.read(tar, loaded);

    assertThat(read).extracting(ArchiveImage::manifestDigest)
        .containsExactly(image.manifestDigest());
    assertThat(read.get(0).names()).containsExactly(ImageRef.parse("busybox"));
  }

  @Test
  void read_nestedIndexWithPlatform_picksThatPlatform() throws Exception {
    Path dir = multiPlatformLayout();
    List<ArchiveImage> read =
        ArchiveReader.read(dir, loaded, Platform.parse("linux/arm64"), tmp);
    assertThat(read).hasSize(1);
    assertThat(Manifests.parseConfig(read.get(0).config(), "c").architecture())
        .isEqualTo("arm64");
  }

  @Test
  void read_nestedIndexWithoutPlatform_readsEveryPlatform() throws Exception {
    Path dir = multiPlatformLayout();
    List<ArchiveImage> read = ArchiveReader.read(dir, loaded);
    assertThat(read).hasSize(2);
    assertThat(read).allSatisfy(i -> assertThat(i.names()).containsExactly(
        ImageRef.parse("example.com/multi:1")));
  }

  @Test
  void read_nestedIndexLackingThePlatform_throwsImageNotFound() throws Exception {
    Path dir = multiPlatformLayout();
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded, Platform.parse("linux/s390x"), tmp))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining("linux/s390x")
        .hasMessageContaining("linux/amd64, linux/arm64");
  }

  @Test
  void detect_tellsEachFormatWritten() {
    for (ArchiveFormat format : ArchiveFormat.values()) {
      Path target = tmp.resolve("out-" + format);
      ArchiveWriter.write(target, format, List.of(image), blobs);
      assertThat(ArchiveFormat.detect(target, tmp)).isEqualTo(format);
    }
  }

  @Test
  void write_archiveOverAnExistingFile_replacesItAndLeavesNoTempFiles() throws Exception {
    Path tar = tmp.resolve("out").resolve("d.tar");
    Files.createDirectories(tar.getParent());
    Files.writeString(tar, "old");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    assertThat(ArchiveFormat.detect(tar, tmp)).isEqualTo(ArchiveFormat.DOCKER_ARCHIVE);
    try (var files = Files.list(tar.getParent())) {
      assertThat(files).containsExactly(tar);
    }
  }

  /** index.json → nested index (amd64, arm64, and an attestation) → manifests. */
  private Path multiPlatformLayout() throws Exception {
    ArchiveImage amd = TestImages.image(blobs, List.of(), "amd64",
        List.of(TestImages.layer(Map.of("arch", "amd64\n"))));
    ArchiveImage arm = TestImages.image(blobs, List.of(), "arm64",
        List.of(TestImages.layer(Map.of("arch", "arm64\n"))));
    Path dir = tmp.resolve("multi");
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(amd, arm), blobs);
    byte[] nested = Manifests.toJson(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(
        platformEntry(amd, "amd64"), platformEntry(arm, "arm64"),
        platformEntry(amd, "unknown")), null, null));
    Digest nestedDigest = Hashes.sha256(nested);
    Files.write(dir.resolve(ArchivePaths.blob(nestedDigest)), nested);
    Map<String, String> names = new LinkedHashMap<>();
    names.put("io.containerd.image.name", "example.com/multi:1");
    byte[] index = Manifests.toJson(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(
        new Descriptor(MediaTypes.OCI_INDEX, nestedDigest, nested.length, null, names, null,
            null, null)), null, null));
    Files.write(dir.resolve("index.json"), index);
    return dir;
  }

  private static Descriptor platformEntry(ArchiveImage image, String arch) {
    String os = arch.equals("unknown") ? "unknown" : "linux";
    return new Descriptor(MediaTypes.OCI_MANIFEST, image.manifestDigest(),
        image.manifest().length, null, null, null,
        new PlatformSpec(arch, os, null, null, null, null), null);
  }

  private static List<Digest> diffIds(ArchiveImage image) {
    return Manifests.parseConfig(image.config(), "config").diffIds();
  }
}
