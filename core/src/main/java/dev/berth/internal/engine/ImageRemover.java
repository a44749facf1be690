package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.ImageRemoval;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker rmi} and {@code docker image prune}: untag or delete image records, then collect
 * the layers and blobs nothing uses any more. Layers a container's overlay uses are never
 * collected, even when its image was removed with force.
 */
final class ImageRemover {
  private final Store store;
  /** A stored image by query, or ImageNotFoundException. */
  private final java.util.function.Function<String, ImageRecord> images;
  /** Every container record: what containers use is never removed. */
  private final java.util.function.Supplier<List<ContainerRecord>> containerRecords;

  ImageRemover(Store store, java.util.function.Function<String, ImageRecord> images,
      java.util.function.Supplier<List<ContainerRecord>> containerRecords) {
    this.store = store;
    this.images = images;
    this.containerRecords = containerRecords;
  }

  /**
   * A name that is one of several only loses that name; otherwise the image is deleted. Refused
   * without {@code force} when asked by id for an image with several names, or while a
   * container (running or not) uses the image.
   *
   * @throws dev.berth.ImageNotFoundException when no stored image matches
   * @throws BerthException naming the other names or the container, when refused
   */
  ImageRemoval remove(String query, boolean force) {
    ImageRecord image = images.apply(query);
    Optional<String> tag = tagNamed(image, query);
    if (tag.isPresent() && image.repoTags().size() > 1) {
      store.updateImages(list -> list.stream()
          .map(r -> r.id().equals(image.id()) ? r.withRepoTags(ImageCatalog.without(r.repoTags(), tag.get())) : r)
          .toList());
      return new ImageRemoval(List.of(tag.get()), List.of(), 0);
    }
    String shortId = Digest.parse(image.id()).shortHex();
    if (!force && tag.isEmpty() && image.repoTags().size() > 1) {
      throw new BerthException("conflict: unable to delete image " + shortId + " (must be"
          + " forced): it is referenced by several names " + image.repoTags() + "; remove the"
          + " names one by one, or remove with force");
    }
    if (!force) {
      for (ContainerRecord c : containerRecords.get()) {
        if (c.imageId().equals(image.id())) {
          throw new BerthException("conflict: unable to remove image " + query + " (" + shortId
              + "): container " + c.id().substring(0, 12) + " (" + c.name() + ") uses it;"
              + " remove the container first, or remove the image with force");
        }
      }
    }
    store.updateImages(list -> list.stream().filter(r -> !r.id().equals(image.id())).toList());
    return new ImageRemoval(image.repoTags(), List.of(Digest.parse(image.id())), collect());
  }

  /** Deletes every untagged image no container uses, then all unused content. */
  ImageRemoval prune() {
    Set<String> used = new HashSet<>();
    containerRecords.get().forEach(c -> used.add(c.imageId()));
    List<Digest> deleted = new ArrayList<>();
    store.updateImages(list -> {
      List<ImageRecord> kept = new ArrayList<>();
      for (ImageRecord r : list) {
        if (r.repoTags().isEmpty() && !used.contains(r.id())) {
          deleted.add(Digest.parse(r.id()));
        } else {
          kept.add(r);
        }
      }
      return kept;
    });
    return new ImageRemoval(List.of(), deleted, collect());
  }

  /** Removes unused layers and blobs; returns the bytes freed. */
  private long collect() {
    return store.collectGarbage(this::inUse).bytes();
  }

  /** Everything stored images and containers use: blobs and chain ids. */
  private Set<Digest> inUse() {
    Set<Digest> keep = new HashSet<>();
    for (ImageRecord r : store.images()) {
      keep.add(Digest.parse(r.id()));
      keep.add(Digest.parse(r.manifestDigest()));
      r.layerDigests().forEach(d -> keep.add(Digest.parse(d)));
      r.chainIds().forEach(d -> keep.add(Digest.parse(d)));
    }
    for (ContainerRecord c : containerRecords.get()) {
      c.layers().forEach(d -> keep.add(Digest.parse(d)));
      keep.add(Digest.parse(c.imageId()));
    }
    return keep;
  }

  /** The tag {@code query} names, when it is a reference (not an id) to one of the image's. */
  private static Optional<String> tagNamed(ImageRecord image, String query) {
    try {
      String normal = ImageRef.parse(query.strip()).toString();
      return image.repoTags().contains(normal) ? Optional.of(normal) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
