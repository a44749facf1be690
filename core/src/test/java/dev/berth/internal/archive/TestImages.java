package dev.berth.internal.archive;

import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.internal.util.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small real images for the archive tests: gzip layers, config and manifest built in memory. */
final class TestImages {
  private TestImages() {}

  /** A layer: the tar, and the blob a registry would serve (gzip unless said otherwise). */
  record Layer(byte[] tar, byte[] blob, String mediaType) {
    Digest diffId() {
      return Hashes.sha256(tar);
    }

    Digest digest() {
      return Hashes.sha256(blob);
    }

    Descriptor descriptor() {
      return Descriptor.of(mediaType, digest(), blob.length);
    }

    /** The same tar, zstd-compressed. */
    Layer zstd() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZstdOutputStream z = new ZstdOutputStream(out)) {
        z.write(tar);
      }
      return new Layer(tar, out.toByteArray(), MediaTypes.OCI_LAYER_ZSTD);
    }

    /** The same tar, uncompressed. */
    Layer uncompressed() {
      return new Layer(tar, tar, MediaTypes.OCI_LAYER);
    }
  }

  /** A tar holding {@code files} (path → content), then gzip-compressed. */
  static Layer layer(Map<String, String> files) throws IOException {
    ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarBytes)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return new Layer(tarBytes.toByteArray(), gzip(tarBytes.toByteArray()),
        MediaTypes.OCI_LAYER_GZIP);
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
      out.write(bytes);
    }
    return gz.toByteArray();
  }

  /** The config bytes of a linux image of {@code architecture} with these layers. */
  static byte[] config(String architecture, List<Layer> layers) {
    List<Digest> diffIds = layers.stream().map(Layer::diffId).toList();
    return Manifests.toJson(new ImageConfig("2024-01-01T00:00:00Z", null, architecture, "linux",
        null, null, null, null, new ImageConfig.RootFs("layers", diffIds), null));
  }

  /** An image whose gzip layers are put into {@code blobs}. */
  static ArchiveImage image(DirBlobs blobs, List<ImageRef> names, String architecture,
      List<Layer> layers) throws IOException {
    for (Layer l : layers) {
      blobs.put(l.digest(), l.blob());
    }
    byte[] config = config(architecture, layers);
    List<Descriptor> descriptors = layers.stream().map(Layer::descriptor).toList();
    byte[] manifest = Manifests.toJson(new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, Hashes.sha256(config), config.length), descriptors,
        null, null));
    return ArchiveImage.of(names, manifest, MediaTypes.OCI_MANIFEST, config);
  }

  /** busybox:latest-like: two layers, amd64. */
  static ArchiveImage twoLayers(DirBlobs blobs, String... names) throws IOException {
    List<ImageRef> refs = new ArrayList<>();
    Arrays.stream(names).map(ImageRef::parse).forEach(refs::add);
    return image(blobs, refs, "amd64", List.of(
        layer(Map.of("bin/hello", "hello from layer one\n", "etc/os-release", "ID=test\n")),
        layer(Map.of("etc/motd", "layer two\n"))));
  }
}
