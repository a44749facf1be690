package dev.berth.internal.archive;

import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageIndex;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.manifest.PlatformSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes images as an OCI image layout: {@code oci-layout}, {@code index.json}, then
 * {@code blobs/<alg>/<hex>} for every manifest, config and layer (each once), bytes unchanged.
 *
 * <p>Each name becomes an index entry annotated with {@code org.opencontainers.image.ref.name}
 * (the tag, as skopeo and podman write it) and {@code io.containerd.image.name} (the full name,
 * as containerd and Docker write it); an image without names gets one entry without them.
 */
final class OciLayoutWriter {
  private static final byte[] OCI_LAYOUT =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  private final LayoutOutput out;
  private final List<ArchiveImage> images;
  private final SourceBlobs blobs;
  private final Set<Digest> written = new HashSet<>();
  private final Set<String> directories = new HashSet<>();

  OciLayoutWriter(LayoutOutput out, List<ArchiveImage> images, SourceBlobs blobs) {
    this.out = out;
    this.images = images;
    this.blobs = blobs;
  }

  void write() throws IOException {
    out.file("oci-layout", OCI_LAYOUT);
    out.file("index.json", Manifests.toJson(index()));
    out.directory("blobs");
    for (ArchiveImage image : images) {
      document(image.manifestDigest(), image.manifest());
      document(image.configDigest(), image.config());
      for (Descriptor layer : image.layers()) {
        if (prepare(layer.digest())) {
          blobs.read(layer, in -> out.file(ArchivePaths.blob(layer.digest()), layer.size(), in));
        }
      }
    }
  }

  private void document(Digest digest, byte[] bytes) throws IOException {
    if (prepare(digest)) {
      out.file(ArchivePaths.blob(digest), bytes);
    }
  }

  /** @return whether the blob is still to be written; creates its algorithm's directory */
  private boolean prepare(Digest digest) throws IOException {
    if (directories.add(digest.algorithm())) {
      out.directory("blobs/" + digest.algorithm());
    }
    return written.add(digest);
  }

  private ImageIndex index() {
    List<Descriptor> entries = new ArrayList<>();
    for (ArchiveImage image : images) {
      PlatformSpec platform = platform(image);
      if (image.names().isEmpty()) {
        entries.add(entry(image, platform, Map.of()));
      }
      for (ImageRef name : image.names()) {
        entries.add(entry(image, platform, annotations(name)));
      }
    }
    return new ImageIndex(2, MediaTypes.OCI_INDEX, null, entries, null, null);
  }

  private static Descriptor entry(ArchiveImage image, PlatformSpec platform,
      Map<String, String> annotations) {
    return new Descriptor(image.manifestMediaType(), image.manifestDigest(),
        image.manifest().length, null, annotations, null, platform, null);
  }

  private static Map<String, String> annotations(ImageRef name) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(OciLayoutReader.CONTAINERD_NAME, name.toString());
    if (name.tag() != null) {
      annotations.put(OciLayoutReader.REF_NAME, name.tag());
    }
    return annotations;
  }

  /** The config's platform, so readers can pick without opening the manifest; null if unsaid. */
  private static PlatformSpec platform(ArchiveImage image) {
    try {
      ImageConfig config = Manifests.parseConfig(image.config(), "config " + image.configDigest());
      return config.os() == null || config.architecture() == null ? null
          : new PlatformSpec(config.architecture(), config.os(), null, null, config.variant(),
              null);
    } catch (RuntimeException e) {
      return null; // the platform is a hint; the image is written either way
    }
  }
}
