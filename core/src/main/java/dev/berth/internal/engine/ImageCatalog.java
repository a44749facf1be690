package dev.berth.internal.engine;

import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.ImageConfig;
import java.time.Instant;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Lookups and edits of the image index, by Docker's rules for names, digests and ids. */
final class ImageCatalog {
  private ImageCatalog() {}

  /** A new record for an image whose manifest, config and layers are all stored. */
  static ImageRecord newRecord(Digest manifestDigest, String manifestMediaType,
      Digest configDigest, ImageConfig config, List<LayerImporter.Layer> layers,
      List<String> repoDigests, long size) {
    return new ImageRecord(configDigest.toString(), manifestDigest.toString(),
        manifestMediaType, List.of(), repoDigests,
        layers.stream().map(l -> l.chainId().toString()).toList(),
        layers.stream().map(l -> l.diffId().toString()).toList(),
        layers.stream().map(l -> l.blob().digest().toString()).toList(),
        size, config.created(), config.platform().toString(), Instant.now().toString());
  }

  /**
   * Stores {@code record}, moving the tag {@code ref} to it from whichever image had it; an
   * image already stored under the same id keeps its other names.
   *
   * @param ref the name to give it, or null (or a digest reference) for none
   */
  static ImageRecord add(Store store, ImageRecord record, ImageRef ref) {
    ImageRecord[] result = new ImageRecord[1];
    store.updateImages(list -> {
      String tag = ref != null && ref.digest() == null ? ref.toString() : null;
      List<ImageRecord> out = new ArrayList<>();
      ImageRecord existing = null;
      for (ImageRecord r : list) {
        if (r.id().equals(record.id())) {
          existing = r;
          continue;
        }
        out.add(tag == null ? r : r.withRepoTags(without(r.repoTags(), tag)));
      }
      Set<String> tags = new LinkedHashSet<>(existing == null ? List.of() : existing.repoTags());
      if (tag != null) {
        tags.add(tag);
      }
      Set<String> digests =
          new LinkedHashSet<>(existing == null ? List.of() : existing.repoDigests());
      digests.addAll(record.repoDigests());
      ImageRecord merged = (existing == null ? record : existing)
          .withRepoTags(List.copyOf(tags)).withRepoDigests(List.copyOf(digests));
      out.add(merged);
      result[0] = merged;
      return out;
    });
    return result[0];
  }

  /**
   * Finds an image by reference ({@code node}, {@code node@sha256:…}), by id
   * ({@code sha256:…}) or by an id prefix of at least 4 hex digits, as {@code docker inspect}.
   */
  static Optional<ImageRecord> find(List<ImageRecord> images, String query) {
    String q = query.strip();
    String hex = q.startsWith("sha256:") ? q.substring(7) : q;
    if (hex.length() >= 4 && hex.matches("[0-9a-f]+")) {
      List<ImageRecord> byId = images.stream()
          .filter(r -> r.id().substring(7).startsWith(hex)).toList();
      if (byId.size() == 1) {
        return Optional.of(byId.get(0));
      }
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(q);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String byDigest = ref.digest() == null ? null
        : ref.registry() + "/" + ref.repository() + "@" + ref.digest();
    for (ImageRecord r : images) {
      if (byDigest != null ? r.repoDigests().contains(byDigest)
          || r.manifestDigest().equals(ref.digest().toString())
          : r.repoTags().contains(ref.toString())) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  static List<String> without(List<String> list, String item) {
    List<String> out = new ArrayList<>(list);
    out.remove(item);
    return out;
  }
}
