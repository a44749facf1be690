package dev.berth.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.UnsafeArchiveException;
import dev.berth.internal.manifest.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad archive, and bad target, gets a clear error naming it. */
class ArchiveErrorsTest {
  @TempDir Path tmp;
  private DirBlobs blobs;
  private DirBlobs loaded;
  private ArchiveImage image;
  private Digest layer;
  private Digest diffId;

  @BeforeEach
  void setUp() throws Exception {
    blobs = new DirBlobs(tmp.resolve("blobs"));
    loaded = new DirBlobs(tmp.resolve("loaded"));
    image = TestImages.twoLayers(blobs, "busybox:latest");
    layer = image.layers().get(1).digest();
    diffId = dev.berth.internal.manifest.Manifests.parseConfig(image.config(), "c").diffIds()
        .get(1);
  }

  @Test
  void read_ociDirWithATamperedLayer_throwsDigestMismatchNamingArchiveAndBlob() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    flipLastByte(dir.resolve(ArchivePaths.blob(layer)));
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("blobs/sha256/" + layer.hex());
  }

  @Test
  void read_tamperedLayer_keepsNothingInTheSink() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    flipLastByte(dir.resolve(ArchivePaths.blob(layer)));
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded));
    assertThat(loaded.has(layer)).isFalse();
  }

  @Test
  void read_ociArchiveWithATamperedLayer_throwsDigestMismatch() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.OCI_ARCHIVE),
        files -> flipLastByte(files, ArchivePaths.blob(layer)));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining(layer.hex());
  }

  @Test
  void read_dockerArchiveWithATamperedLayer_throwsDigestMismatchAgainstTheDiffId()
      throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE),
        files -> flipLastByte(files, diffId.hex() + "/layer.tar"));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining(diffId.hex() + "/layer.tar");
  }

  @Test
  void read_dockerArchiveWithATamperedConfig_throwsDigestMismatch() throws Exception {
    String config = image.configDigest().hex() + ".json";
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE),
        files -> files.put(config, new String(files.get(config), StandardCharsets.UTF_8)
            .replace("amd64", "arm64").getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(config);
  }

  @Test
  void read_layerLongerThanItsDescriptor_throwsNamingTheSize() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    Files.write(dir.resolve(ArchivePaths.blob(layer)), new byte[] {0},
        java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("longer than the " + image.layers().get(1).size() + " bytes");
  }

  @Test
  void read_ociDirMissingALayer_throwsNamingTheBlobAndTheManifest() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    Files.delete(dir.resolve(ArchivePaths.blob(layer)));
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("lacks blobs/sha256/" + layer.hex())
        .hasMessageContaining("layer 2 of manifest " + image.manifestDigest());
  }

  @Test
  void read_dockerArchiveMissingALayer_throwsNamingTheLayerFile() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE),
        files -> files.remove(diffId.hex() + "/layer.tar"));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("lacks " + diffId.hex() + "/layer.tar")
        .hasMessageContaining("layer 2 of image 1 of manifest.json (busybox:latest)");
  }

  @Test
  void read_ociArchiveWithoutIndexJson_throwsNotAnImageArchive() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.OCI_ARCHIVE), files -> files.remove("index.json"));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining(tar + " is not an image archive")
        .hasMessageContaining("neither manifest.json (docker save) nor index.json");
  }

  @Test
  void read_ociDirWithoutIndexJson_throwsNamingTheMissingIndex() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    Files.delete(dir.resolve("index.json"));
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("lacks index.json");
  }

  @Test
  void read_directoryThatIsNoLayout_throwsSayingSo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining(dir + " is not an OCI image layout");
  }

  @Test
  void read_malformedIndexJson_throwsNamingTheFile() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\": 2, \"manifests\": [");
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("index.json in archive " + dir);
  }

  @Test
  void read_manifestJsonThatIsNotJson_throwsMalformed() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE),
        files -> files.put("manifest.json", "[{\"Config\":".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("manifest.json is not valid JSON");
  }

  @Test
  void read_manifestJsonListingMoreLayersThanTheConfig_throws() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE), files -> files.put("manifest.json",
        new String(files.get("manifest.json"), StandardCharsets.UTF_8)
            .replace("\"Layers\":[", "\"Layers\":[\"extra/layer.tar\",")
            .getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("lists 3 layers but its config")
        .hasMessageContaining("has 2 diff_ids");
  }

  @Test
  void read_tarEntryLeavingTheArchive_throwsUnsafe() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE),
        files -> files.put("../../etc/evil", new byte[] {1}));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining(tar.toString())
        .hasMessageContaining("'../../etc/evil'");
  }

  @Test
  void read_manifestJsonLayerPathLeavingTheArchive_throwsUnsafe() throws Exception {
    Path tar = rewrite(write(ArchiveFormat.DOCKER_ARCHIVE), files -> files.put("manifest.json",
        new String(files.get("manifest.json"), StandardCharsets.UTF_8)
            .replace(diffId.hex() + "/layer.tar", "../../../etc/passwd")
            .getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("'../../../etc/passwd'");
  }

  @Test
  void read_symlinkLeavingTheArchive_throwsUnsafe() throws Exception {
    Map<String, byte[]> files = Tars.files(write(ArchiveFormat.DOCKER_ARCHIVE));
    List<Tars.Item> items = new java.util.ArrayList<>();
    files.forEach((name, bytes) -> items.add(Tars.Item.file(name, bytes)));
    items.add(Tars.Item.symlink("x/layer.tar", "../../secret"));
    Path tar = tmp.resolve("link.tar");
    Tars.write(tar, items);
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("leaves the archive");
  }

  @Test
  void read_ociDirBlobLinkedOutsideTheLayout_throwsUnsafe() throws Exception {
    Path dir = write(ArchiveFormat.OCI_DIR);
    Path blob = dir.resolve(ArchivePaths.blob(layer));
    Path outside = Files.copy(blob, tmp.resolve("outside"));
    Files.delete(blob);
    Files.createSymbolicLink(blob, outside);
    assertThatThrownBy(() -> ArchiveReader.read(dir, loaded))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("outside the layout");
  }

  @Test
  void read_truncatedTar_throwsNamingTheArchive() throws Exception {
    Path tar = write(ArchiveFormat.DOCKER_ARCHIVE);
    Path cut = Tars.truncate(tar, tmp.resolve("cut.tar"), Files.size(tar) / 2);
    assertThatThrownBy(() -> ArchiveReader.read(cut, loaded))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void read_truncatedGzipArchive_throwsNamingTheArchive() throws Exception {
    Path tar = write(ArchiveFormat.OCI_ARCHIVE);
    Path gz = tmp.resolve("a.tar.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(tar, out);
    }
    Path cut = Tars.truncate(gz, tmp.resolve("cut.tar.gz"), Files.size(gz) - 20);
    assertThatThrownBy(() -> ArchiveReader.read(cut, loaded))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void read_missingFile_throwsSayingItDoesNotExist() {
    Path missing = tmp.resolve("nope.tar");
    assertThatThrownBy(() -> ArchiveReader.read(missing, loaded))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining(missing + " does not exist");
  }

  @Test
  void detect_fileThatIsNoTar_throwsNamingIt() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.tar"), "this is not a tar at all\n");
    assertThatThrownBy(() -> ArchiveFormat.detect(junk, tmp))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining(junk.toString());
  }

  @Test
  void write_ociDirIntoANonEmptyDirectory_refuses() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(dir.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining(dir + ": it exists and is not an empty directory");
    assertThat(dir.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void write_ociDirIntoAnEmptyDirectory_fillsIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    ArchiveWriter.write(dir, ArchiveFormat.OCI_DIR, List.of(image), blobs);
    assertThat(dir.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  @Test
  void write_ociDirAtALink_refusesAndWritesNothingThrough() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("real"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertThatThrownBy(() -> ArchiveWriter.write(link, ArchiveFormat.OCI_DIR, List.of(image),
        blobs))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("it is a link");
    try (var entries = Files.list(real)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void write_archiveAtADirectory_refuses() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("adir"));
    assertThatThrownBy(() -> ArchiveWriter.write(dir, ArchiveFormat.DOCKER_ARCHIVE,
        List.of(image), blobs))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("it is a directory");
  }

  @Test
  void write_damagedStoredLayer_throwsDigestMismatchAndLeavesNoArchive() throws Exception {
    flipLastByte(blobs.path(layer));
    Path tar = tmp.resolve("out").resolve("d.tar");
    Files.createDirectories(tar.getParent());
    assertThatThrownBy(() -> ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(image),
        blobs))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("layer " + layer + " in the store");
    try (var entries = Files.list(tar.getParent())) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void write_layerMissingFromTheSource_throwsNamingIt() throws Exception {
    Files.delete(blobs.path(layer));
    Path tar = tmp.resolve("d.tar");
    assertThatThrownBy(() -> ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE,
        List.of(image), blobs))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("cannot read layer " + layer);
    assertThat(tar).doesNotExist();
  }

  @Test
  void write_noImages_refuses() {
    Path tar = tmp.resolve("d.tar");
    assertThatThrownBy(() -> ArchiveWriter.write(tar, ArchiveFormat.OCI_ARCHIVE, List.of(),
        blobs))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("give at least one image");
  }

  @Test
  void archiveImageOf_configOtherThanTheManifestNames_refuses() {
    assertThatThrownBy(() -> ArchiveImage.of(List.of(), image.manifest(),
        MediaTypes.OCI_MANIFEST, "{}".getBytes(StandardCharsets.UTF_8)))
        .isExactlyInstanceOf(BerthException.class)
        .hasMessageContaining("names config " + image.configDigest());
  }

  @Test
  void archiveImage_digestNotOfTheBytes_refuses() {
    assertThatThrownBy(() -> new ArchiveImage(List.of(), image.manifest(),
        MediaTypes.OCI_MANIFEST, image.configDigest(), image.config(), image.configDigest(),
        image.layers()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("manifest bytes hash to " + image.manifestDigest());
  }

  private Path write(ArchiveFormat format) {
    Path target = tmp.resolve("archive-" + format);
    ArchiveWriter.write(target, format, List.of(image), blobs);
    return target;
  }

  /** @return a copy of the tar with its files changed by {@code change} */
  private Path rewrite(Path tar, Consumer<Map<String, byte[]>> change) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>(Tars.files(tar));
    change.accept(files);
    Path out = tmp.resolve("rewritten-" + tar.getFileName());
    Tars.writeFiles(out, files);
    return out;
  }

  private static void flipLastByte(Map<String, byte[]> files, String name) {
    byte[] bytes = files.get(name).clone();
    bytes[bytes.length - 1] ^= 1;
    files.put(name, bytes);
  }

  private static void flipLastByte(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Files.write(file, bytes);
  }
}
