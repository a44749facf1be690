package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.Platform;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageIndex;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.manifest.PlatformMatcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the images of an OCI image layout (a directory, an oci-archive, or the OCI half of a
 * Docker 25+ archive): {@code index.json}, through nested indexes (multi-platform images), to
 * image manifests, their configs and layers.
 *
 * <p>Names come from the index entries' annotations: {@code io.containerd.image.name} (a full
 * name, as containerd and Docker write) and {@code org.opencontainers.image.ref.name} when it is
 * a reference. A bare tag there ({@code latest}, as {@code skopeo copy oci:dir:latest} writes)
 * names no repository, so it gives no name.
 */
final class OciLayoutReader {
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final String CONTAINERD_NAME = "io.containerd.image.name";
  private static final int MAX_INDEX_DEPTH = 4;

  private final ArchiveContent content;
  private final Platform platform;

  /** @param platform the platform to pick from multi-platform indexes, or null for all */
  OciLayoutReader(ArchiveContent content, Platform platform) {
    this.content = content;
    this.platform = platform;
  }

  List<ArchiveImage> read() throws IOException {
    byte[] bytes = content.document("index.json", "the OCI layout's index");
    ImageIndex index = parseIndex(bytes, null, "index.json");
    Map<Digest, Found> found = new LinkedHashMap<>();
    for (Descriptor entry : index.manifests()) {
      collect(entry, names(entry), found, 0);
    }
    List<ArchiveImage> images = new ArrayList<>();
    for (Found f : found.values()) {
      images.add(load(f));
    }
    return images;
  }

  /** A manifest reached from index.json, with every name it was reached under. */
  private record Found(Descriptor descriptor, ImageManifest manifest, byte[] bytes,
      Set<ImageRef> names) {}

  private void collect(Descriptor entry, List<ImageRef> names, Map<Digest, Found> found,
      int depth) throws IOException {
    if (!isImageOrIndex(entry)) {
      return; // signatures, SBOMs and other artifacts are not images
    }
    if (depth > MAX_INDEX_DEPTH) {
      throw new BerthException("archive " + content.name() + ": indexes nest deeper than "
          + MAX_INDEX_DEPTH + " levels at " + entry.digest() + "; " + ArchiveContent.ADVICE);
    }
    String what = "which " + (depth == 0 ? "index.json" : "a nested index") + " lists";
    byte[] bytes = content.blob(entry.digest(), entry.size(), what);
    ManifestDocument doc = parse(bytes, entry.mediaType(), entry.digest());
    if (doc instanceof ImageIndex nested) {
      for (Descriptor child : pick(nested, entry.digest())) {
        collect(child, names, found, depth + 1);
      }
    } else if (isImage((ImageManifest) doc)) {
      found.computeIfAbsent(entry.digest(),
              d -> new Found(entry, (ImageManifest) doc, bytes, new LinkedHashSet<>()))
          .names().addAll(names);
    }
  }

  /** The wanted platform's manifest, or every entry that is not an attestation. */
  private List<Descriptor> pick(ImageIndex index, Digest digest) {
    if (platform != null) {
      return List.of(PlatformMatcher.select(index, platform,
          "index " + digest + " in archive " + content.name()));
    }
    return index.manifests().stream()
        .filter(d -> d.platform() == null || !"unknown".equals(d.platform().os()))
        .toList();
  }

  private ArchiveImage load(Found f) throws IOException {
    ImageManifest m = f.manifest();
    String owner = "of manifest " + f.descriptor().digest();
    byte[] config = content.blob(m.config().digest(), m.config().size(), "the config " + owner);
    for (int i = 0; i < m.layers().size(); i++) {
      Descriptor layer = m.layers().get(i);
      content.store(ArchivePaths.blob(layer.digest()), layer.digest(), layer.size(),
          "layer " + (i + 1) + " " + owner);
    }
    String mediaType = f.descriptor().mediaType() != null ? f.descriptor().mediaType()
        : m.mediaType() != null ? m.mediaType() : MediaTypes.OCI_MANIFEST;
    return new ArchiveImage(List.copyOf(f.names()), f.bytes(), mediaType,
        f.descriptor().digest(), config, m.config().digest(), m.layers());
  }

  /** @return the names an index entry's annotations give */
  static List<ImageRef> names(Descriptor entry) {
    List<ImageRef> names = new ArrayList<>();
    String full = entry.annotations().get(CONTAINERD_NAME);
    String ref = entry.annotations().get(REF_NAME);
    addParsed(names, full);
    if (ref != null && (ref.contains("/") || ref.contains(":") || ref.contains("@"))) {
      addParsed(names, ref);
    }
    return names.stream().distinct().toList();
  }

  private static void addParsed(List<ImageRef> names, String reference) {
    if (reference == null) {
      return;
    }
    try {
      names.add(ImageRef.parse(reference));
    } catch (IllegalArgumentException e) {
      // a name is a label: an archive with an odd one still loads, untagged
    }
  }

  private static boolean isImageOrIndex(Descriptor d) {
    return d.mediaType() == null || MediaTypes.isIndex(d.mediaType())
        || MediaTypes.isImageManifest(d.mediaType());
  }

  /** Artifacts (cosign signatures, attestations) use image manifests with non-image configs. */
  private static boolean isImage(ImageManifest m) {
    String type = m.config().mediaType();
    return type == null || type.equals(MediaTypes.OCI_CONFIG)
        || type.equals(MediaTypes.DOCKER_CONFIG);
  }

  private ImageIndex parseIndex(byte[] bytes, String mediaType, String where) {
    ManifestDocument doc = parse(bytes, mediaType, where);
    if (!(doc instanceof ImageIndex index)) {
      throw new BerthException("archive " + content.name() + ": " + where
          + " is not an image index; " + ArchiveContent.ADVICE);
    }
    return index;
  }

  private ManifestDocument parse(byte[] bytes, String mediaType, Object where) {
    return ArchiveContent.parse(bytes, mediaType, where + " in archive " + content.name());
  }
}
