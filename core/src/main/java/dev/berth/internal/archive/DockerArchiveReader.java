package dev.berth.internal.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.ImageRef;
import dev.berth.Platform;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.Compression;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code docker save} archive. Two kinds exist:
 *
 * <ul>
 *   <li>Docker 25+ (and containerd) put an OCI layout beside {@code manifest.json}: that is read
 *       as OCI, so manifest digests are the ones Docker computed, and {@code RepoTags} add names.
 *   <li>Older Docker, podman and skopeo write only {@code manifest.json}
 *       ({@code [{Config, RepoTags, Layers}]}), the config and the layer tars. There is no
 *       manifest, so one is built: an OCI manifest whose layers are the layer files as stored
 *       (uncompressed, so each layer's digest is its diffID). Its digest is therefore computed,
 *       as docker and podman compute one on load, and stable: the same archive always gives it.
 * </ul>
 *
 * <p>Every layer is checked against the config's diffIDs, and a config stored under a digest name
 * against that digest.
 */
final class DockerArchiveReader {

  private final ArchiveContent content;
  private final Platform platform;

  DockerArchiveReader(ArchiveContent content, Platform platform) {
    this.content = content;
    this.platform = platform;
  }

  /** One element of manifest.json. */
  private record Entry(int number, String config, List<String> repoTags, List<String> layers) {
    String describe() {
      return "image " + number + " of manifest.json"
          + (repoTags.isEmpty() ? "" : " (" + String.join(", ", repoTags) + ")");
    }
  }

  List<ArchiveImage> read() throws IOException {
    List<Entry> entries = entries(content.document("manifest.json", "docker save's manifest"));
    if (content.exists("index.json")) {
      return withRepoTags(new OciLayoutReader(content, platform).read(), entries);
    }
    List<ArchiveImage> images = new ArrayList<>();
    for (Entry e : entries) {
      images.add(load(e));
    }
    return images;
  }

  private ArchiveImage load(Entry e) throws IOException {
    String configPath = path(e.config());
    byte[] config = content.document(configPath, "the config of " + e.describe());
    Digest configDigest = verifyNamed(configPath, config, e);
    List<Digest> diffIds = diffIds(config, configPath, e);
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < e.layers().size(); i++) {
      String what = "layer " + (i + 1) + " of " + e.describe();
      layers.add(layer(path(e.layers().get(i)), diffIds.get(i), what));
    }
    ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, config.length), layers, null, null);
    byte[] bytes = Manifests.toJson(manifest);
    return new ArchiveImage(names(e), bytes, MediaTypes.OCI_MANIFEST, Hashes.sha256(bytes),
        config, configDigest, layers);
  }

  /**
   * A layer file: plain tars (the norm) are verified against the diffID in one pass; compressed
   * ones (which docker load also accepts) are first hashed both ways, then stored by their own
   * digest.
   */
  private Descriptor layer(String path, Digest diffId, String what) throws IOException {
    content.require(path, what);
    long size = content.size(path);
    Compression compression;
    try (InputStream in = content.open(path)) {
      compression = LayerStreams.sniff(in);
    }
    if (compression == Compression.NONE) {
      content.store(path, diffId, size, what);
      return Descriptor.of(MediaTypes.OCI_LAYER, diffId, size);
    }
    Digest digest = hashCompressed(path, compression, diffId, what);
    content.store(path, digest, size, what);
    String mediaType = compression == Compression.GZIP
        ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER_ZSTD;
    return Descriptor.of(mediaType, digest, size);
  }

  /** @return the compressed file's digest, after checking the content's diffID */
  private Digest hashCompressed(String path, Compression compression, Digest diffId, String what)
      throws IOException {
    MessageDigest raw = Hashes.hasher("sha256");
    try (InputStream in = content.open(path);
        InputStream hashed = new DigestInputStream(in, raw);
        InputStream plain = LayerStreams.decompress(hashed, compression)) {
      VerifiedStream verified = new VerifiedStream(plain, diffId, -1,
          "uncompressed " + path + " (" + what + ") in archive " + content.name(),
          ArchiveContent.ADVICE);
      verified.finish();
      hashed.transferTo(OutputStream.nullOutputStream()); // trailing bytes count too
    }
    return Hashes.finish(raw, "sha256");
  }

  private Digest verifyNamed(String configPath, byte[] config, Entry e) {
    Digest named = ArchivePaths.digestNamedBy(configPath);
    Digest actual = Hashes.of(named == null ? "sha256" : named.algorithm(), config);
    if (named != null && !named.equals(actual)) {
      throw new DigestMismatchException(configPath + " (the config of " + e.describe()
          + ") in archive " + content.name(), named.toString(), actual.toString(),
          ArchiveContent.ADVICE);
    }
    return actual;
  }

  private List<Digest> diffIds(byte[] config, String configPath, Entry e) {
    ImageConfig parsed;
    try {
      parsed = Manifests.parseConfig(config, configPath + " in archive " + content.name());
    } catch (RegistryException ex) {
      throw new BerthException(ex.getMessage() + "; " + ArchiveContent.ADVICE, ex);
    }
    List<Digest> diffIds = parsed.diffIds();
    if (diffIds.size() != e.layers().size()) {
      throw new BerthException("archive " + content.name() + ": " + e.describe() + " lists "
          + e.layers().size() + " layers but its config " + configPath + " has "
          + diffIds.size() + " diff_ids; " + ArchiveContent.ADVICE);
    }
    return diffIds;
  }

  private List<ImageRef> names(Entry e) {
    List<ImageRef> names = new ArrayList<>();
    for (String tag : e.repoTags()) {
      try {
        names.add(ImageRef.parse(tag));
      } catch (IllegalArgumentException ex) {
        throw new BerthException("archive " + content.name() + ": " + e.describe()
            + " has the RepoTag '" + tag + "', which is not an image reference: "
            + ex.getMessage(), ex);
      }
    }
    return names;
  }

  /** Docker 25+: adds each manifest.json entry's RepoTags to the image with its config. */
  private List<ArchiveImage> withRepoTags(List<ArchiveImage> images, List<Entry> entries) {
    List<ArchiveImage> out = new ArrayList<>();
    for (ArchiveImage image : images) {
      Set<ImageRef> names = new LinkedHashSet<>(image.names());
      for (Entry e : entries) {
        if (image.configDigest().equals(ArchivePaths.digestNamedBy(path(e.config())))) {
          names.addAll(names(e));
        }
      }
      out.add(new ArchiveImage(List.copyOf(names), image.manifest(), image.manifestMediaType(),
          image.manifestDigest(), image.config(), image.configDigest(), image.layers()));
    }
    return out;
  }

  private String path(String name) {
    return ArchivePaths.normalise(name, content.name());
  }

  private List<Entry> entries(byte[] json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed("is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does no I/O
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw malformed("is not a non-empty JSON array of {Config, RepoTags, Layers}");
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode node : root) {
      entries.add(entry(node, entries.size() + 1));
    }
    return entries;
  }

  private Entry entry(JsonNode node, int number) {
    JsonNode config = node.path("Config");
    if (!config.isTextual()) {
      throw malformed("image " + number + " has no \"Config\" path");
    }
    return new Entry(number, config.asText(), texts(node, "RepoTags", number),
        texts(node, "Layers", number));
  }

  private List<String> texts(JsonNode node, String field, int number) {
    JsonNode array = node.path(field);
    if (array.isMissingNode() || array.isNull()) {
      return List.of();
    }
    if (!array.isArray()) {
      throw malformed("image " + number + " has \"" + field + "\" that is not an array");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        throw malformed("image " + number + " has a non-string in \"" + field + "\"");
      }
      out.add(item.asText());
    }
    return out;
  }

  private BerthException malformed(String problem) {
    return new BerthException("archive " + content.name() + ": manifest.json " + problem + "; "
        + ArchiveContent.ADVICE);
  }
}
