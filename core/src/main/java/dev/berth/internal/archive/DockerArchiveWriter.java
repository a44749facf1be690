package dev.berth.internal.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.Compression;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes images as {@code docker save} does (the layout every Docker, podman and skopeo loads):
 * {@code manifest.json} ({@code [{Config, RepoTags, Layers}]}) and the legacy
 * {@code repositories} first, then {@code <config-hex>.json} and {@code <diffid-hex>/layer.tar}.
 *
 * <p>Docker archives hold uncompressed layers, named by diffID: compressed layers are
 * decompressed on the way, streamed into a temp file beside the archive (a tar header needs the
 * size first), checked against the config's diffID, then copied in. RepoTags are in familiar
 * form ({@code busybox:latest}); names without a tag are left out, as Docker does.
 */
final class DockerArchiveWriter {

  private final TarOutput out;
  private final List<ArchiveImage> images;
  private final SourceBlobs blobs;
  private final Path tempDir;
  private final Set<Digest> written = new HashSet<>();

  DockerArchiveWriter(TarOutput out, List<ArchiveImage> images, SourceBlobs blobs, Path tempDir) {
    this.out = out;
    this.images = images;
    this.blobs = blobs;
    this.tempDir = tempDir;
  }

  void write() throws IOException {
    List<List<Digest>> diffIds = images.stream().map(DockerArchiveWriter::diffIds).toList();
    out.file("manifest.json", manifestJson(diffIds));
    out.file("repositories", repositoriesJson(diffIds));
    for (int i = 0; i < images.size(); i++) {
      ArchiveImage image = images.get(i);
      if (written.add(image.configDigest())) {
        out.file(configName(image), image.config());
      }
      for (int l = 0; l < image.layers().size(); l++) {
        Digest diffId = diffIds.get(i).get(l);
        if (written.add(diffId)) {
          out.directory(diffId.hex());
          layer(image.layers().get(l), diffId);
        }
      }
    }
  }

  private void layer(Descriptor layer, Digest diffId) throws IOException {
    String name = layerName(diffId);
    Compression compression = compression(layer);
    if (compression == Compression.NONE) {
      if (!layer.digest().equals(diffId)) {
        throw new BerthException("layer " + layer.digest() + " is uncompressed but its config "
            + "gives the diffID " + diffId + ": the stored image is inconsistent, pull it again");
      }
      blobs.read(layer, in -> out.file(name, layer.size(), in));
      return;
    }
    Path plain = Files.createTempFile(tempDir, ".berth-layer-", ".tar");
    try {
      blobs.read(layer, in -> decompress(in, compression, diffId, layer, plain));
      try (InputStream in = Files.newInputStream(plain)) {
        out.file(name, Files.size(plain), in);
      }
    } finally {
      Files.deleteIfExists(plain);
    }
  }

  private static void decompress(InputStream compressed, Compression compression, Digest diffId,
      Descriptor layer, Path target) throws IOException {
    InputStream plain = LayerStreams.decompress(compressed, compression);
    VerifiedStream verified = new VerifiedStream(plain, diffId, -1,
        "uncompressed layer " + layer.digest() + " in the store",
        "the stored image is damaged or its config lists other layers: pull it again, then save");
    try (OutputStream out = Files.newOutputStream(target)) {
      verified.transferTo(out);
    }
  }

  private static Compression compression(Descriptor layer) {
    try {
      return MediaTypes.layerCompression(layer.mediaType());
    } catch (RegistryException e) {
      throw new BerthException("cannot save layer " + layer.digest() + " in a docker archive: "
          + e.getMessage(), e);
    }
  }

  private byte[] manifestJson(List<List<Digest>> diffIds) {
    ArrayNode root = Json.MAPPER.createArrayNode();
    for (int i = 0; i < images.size(); i++) {
      ArchiveImage image = images.get(i);
      ObjectNode entry = root.addObject();
      entry.put("Config", configName(image));
      ArrayNode tags = entry.putArray("RepoTags");
      repoTags(image).forEach(tags::add);
      ArrayNode layers = entry.putArray("Layers");
      diffIds.get(i).forEach(d -> layers.add(layerName(d)));
    }
    return json(root);
  }

  /** {@code {"busybox": {"latest": "<top layer id>"}}}: read by Docker before 1.10. */
  private byte[] repositoriesJson(List<List<Digest>> diffIds) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    for (int i = 0; i < images.size(); i++) {
      List<Digest> layers = diffIds.get(i);
      for (ImageRef name : images.get(i).names()) {
        if (name.tag() != null && !layers.isEmpty()) {
          String repository = familiar(name).substring(0, familiar(name).lastIndexOf(':'));
          ObjectNode tags = root.has(repository) ? (ObjectNode) root.get(repository)
              : root.putObject(repository);
          tags.put(name.tag(), layers.get(layers.size() - 1).hex());
        }
      }
    }
    return json(root);
  }

  private static List<String> repoTags(ArchiveImage image) {
    return image.names().stream().filter(n -> n.tag() != null)
        .map(DockerArchiveWriter::familiar).toList();
  }

  /** {@code busybox:latest}: familiar, with the tag and without a digest. */
  private static String familiar(ImageRef name) {
    return new ImageRef(name.registry(), name.repository(), name.tag(), null).familiar();
  }

  private static String configName(ArchiveImage image) {
    return image.configDigest().hex() + ".json";
  }

  private static String layerName(Digest diffId) {
    return diffId.hex() + "/layer.tar";
  }

  private static List<Digest> diffIds(ArchiveImage image) {
    List<Digest> diffIds;
    try {
      diffIds = Manifests.parseConfig(image.config(), "config " + image.configDigest()).diffIds();
    } catch (RegistryException e) {
      throw new BerthException("cannot save " + image + " as a docker archive: "
          + e.getMessage(), e);
    }
    if (diffIds.size() != image.layers().size()) {
      throw new BerthException("cannot save " + image + " as a docker archive: its manifest"
          + " lists " + image.layers().size() + " layers but its config " + diffIds.size()
          + " diff_ids; pull the image again");
    }
    return diffIds;
  }

  private static byte[] json(Object tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }
}
