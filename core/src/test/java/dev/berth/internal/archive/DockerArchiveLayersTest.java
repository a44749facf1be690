package dev.berth.internal.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.DigestMismatchException;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.MediaTypes;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers in docker archives: uncompressed on write whatever they were; any kind on read. */
class DockerArchiveLayersTest {
  @TempDir Path tmp;
  private DirBlobs blobs;
  private DirBlobs loaded;
  private TestImages.Layer layer;

  @BeforeEach
  void setUp() throws Exception {
    blobs = new DirBlobs(tmp.resolve("blobs"));
    loaded = new DirBlobs(tmp.resolve("loaded"));
    layer = TestImages.layer(Map.of("etc/hostname", "berth\n"));
  }

  @Test
  void write_zstdLayer_holdsTheUncompressedTar() throws Exception {
    Path tar = save(layer.zstd());
    assertThat(Tars.files(tar).get(layer.diffId().hex() + "/layer.tar")).isEqualTo(layer.tar());
  }

  @Test
  void write_uncompressedLayer_holdsItUnchanged() throws Exception {
    Path tar = save(layer.uncompressed());
    assertThat(Tars.files(tar).get(layer.diffId().hex() + "/layer.tar")).isEqualTo(layer.tar());
  }

  @Test
  void read_gzipLayerTar_storesTheCompressedBlobUnderItsOwnDigest() throws Exception {
    Path tar = gzipLayerTar(save(layer), layer.blob());
    Descriptor read = ArchiveReader.read(tar, loaded).get(0).layers().get(0);
    assertThat(read).isEqualTo(
        Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layer.digest(), layer.blob().length));
    assertThat(loaded.bytes(layer.digest())).isEqualTo(layer.blob());
  }

  @Test
  void read_gzipLayerTarOfAnotherDiffId_throwsDigestMismatch() throws Exception {
    TestImages.Layer other = TestImages.layer(Map.of("etc/hostname", "other\n"));
    Path tar = gzipLayerTar(save(layer), other.blob());
    assertThatThrownBy(() -> ArchiveReader.read(tar, loaded))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("uncompressed " + layer.diffId().hex() + "/layer.tar")
        .hasMessageContaining("expected digest " + layer.diffId());
  }

  private Path save(TestImages.Layer l) throws Exception {
    ArchiveImage image =
        TestImages.image(blobs, List.of(ImageRef.parse("one:1")), "amd64", List.of(l));
    Path tar = tmp.resolve("saved-" + l.mediaType().hashCode() + ".tar");
    ArchiveWriter.write(tar, ArchiveFormat.DOCKER_ARCHIVE, List.of(image), blobs);
    return tar;
  }

  /** The archive with its layer.tar replaced by {@code gzip}, as docker load accepts. */
  private Path gzipLayerTar(Path tar, byte[] gzip) throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>(Tars.files(tar));
    files.put(layer.diffId().hex() + "/layer.tar", gzip);
    Path out = tmp.resolve("gzip-layer.tar");
    Tars.writeFiles(out, files);
    return out;
  }
}
