package dev.berth.internal.engine;

import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.registry.BlobSource;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.Repository;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code docker push}: every blob the registry lacks (mounted from the repository the image came
 * from when that is on the same registry), then the manifest. A pulled image goes out with its
 * stored manifest bytes, so it keeps its digest; plain-tar layers (built or loaded here) are
 * gzipped first ({@link OutgoingManifest}), as Docker does.
 */
final class ImagePusher {
  private final Store store;
  private final RegistryClient registry;

  ImagePusher(Store store, RegistryClient registry) {
    this.store = store;
    this.registry = registry;
  }

  /**
   * Pushes, then adds {@code repo@digest} of the push to the record's repoDigests.
   *
   * @return the digest of the pushed manifest
   */
  Digest push(ImageRecord image, ImageRef target) {
    byte[] stored = store.readBlob(Digest.parse(image.manifestDigest()));
    Repository repo = Repository.of(target);
    Repository mountFrom = sourceRepository(image, repo);
    Digest digest;
    try (OutgoingManifest out = OutgoingManifest.of(store, stored, image.manifestMediaType(),
        image.id())) {
      List<Descriptor> blobs = new ArrayList<>(out.layers());
      blobs.add(out.config());
      for (Descriptor d : blobs) {
        registry.pushBlob(repo, d.digest(), d.size(), BlobSource.of(store.blobPath(d.digest())),
            mountFrom);
      }
      digest = registry.putManifest(target, out.bytes(), out.mediaType());
    }
    ImageCatalog.add(store,
        image.withRepoDigests(List.of(repo + "@" + digest)).withRepoTags(List.of()), null);
    return digest;
  }

  /** Another repository of the target's registry that the image was pulled from, or null. */
  private static Repository sourceRepository(ImageRecord image, Repository target) {
    for (String name : image.repoDigests()) {
      Repository r = Repository.of(ImageRef.parse(name));
      if (r.registry().equals(target.registry()) && !Objects.equals(r, target)) {
        return r;
      }
    }
    return null;
  }
}
