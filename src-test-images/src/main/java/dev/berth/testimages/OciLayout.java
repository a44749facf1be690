package dev.berth.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** Writes an OCI image layout directory: content-addressed blobs, index.json, oci-layout. */
final class OciLayout {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String INDEX = "application/vnd.oci.image.index.v1+json";
  static final String CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  /** A written layer: its blob's descriptor and the sha256 of the uncompressed tar. */
  record Layer(Descriptor descriptor, String diffId) {}

  /** Writes a blob's bytes into a stream. */
  @FunctionalInterface
  interface BlobWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  private final Path dir;
  private final Path blobs;
  private final ObjectMapper json;

  OciLayout(Path dir, ObjectMapper json) throws IOException {
    this.dir = dir;
    this.blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
    this.json = json;
  }

  /** Stores a JSON document as a blob. */
  Descriptor addJson(String mediaType, ObjectNode document) throws IOException {
    byte[] bytes = json.writeValueAsBytes(document);
    return new Descriptor(mediaType, addBlob(out -> out.write(bytes)), bytes.length, null);
  }

  /** Compresses and stores the tar that {@code tar} writes, hashing it on the way. */
  Layer addLayer(BlobWriter tar, boolean zstd) throws IOException {
    MessageDigest diffId = sha256();
    String digest = addBlob(out -> {
      OutputStream compressed = zstd ? new ZstdOutputStream(out, 3) : new GZIPOutputStream(out, 65536);
      try (DigestOutputStream uncompressed = new DigestOutputStream(compressed, diffId)) {
        tar.writeTo(uncompressed);
      }
    });
    long size = Files.size(blob(digest));
    return new Layer(new Descriptor(zstd ? LAYER_ZSTD : LAYER_GZIP, digest, size, null),
        "sha256:" + HexFormat.of().formatHex(diffId.digest()));
  }

  /** Writes index.json (naming {@code image} {@code latest}) and oci-layout. */
  void finish(Descriptor image) throws IOException {
    ObjectNode index = json.createObjectNode().put("schemaVersion", 2).put("mediaType", INDEX);
    index.putArray("manifests").add(image.toJson(json)
        .set("annotations", json.createObjectNode().put("org.opencontainers.image.ref.name", "latest")));
    Files.write(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
    Files.write(dir.resolve("index.json"), json.writeValueAsBytes(index));
  }

  Path blob(String digest) {
    return blobs.resolve(digest.substring("sha256:".length()));
  }

  /** Hashes into a temp file, then renames it to its digest: no half-written blob is visible. */
  private String addBlob(BlobWriter writer) throws IOException {
    Path tmp = blobs.resolve(".tmp-" + UUID.randomUUID());
    MessageDigest sha = sha256();
    try {
      try (OutputStream out = new DigestOutputStream(
          new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 65536), sha)) {
        writer.writeTo(out);
      }
      String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
      Files.move(tmp, blob(digest), StandardCopyOption.REPLACE_EXISTING);
      return digest;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
