package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
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
 * from when that is on the same registry), then the stored manifest bytes unchanged, so the
 * image keeps its digest.
 */
final class ImagePusher {
  private final Store store;
  private final RegistryClient registry;

  ImagePusher(Store store, RegistryClient registry) {
    this.store = store;
    this.registry = registry;
  }

  /** @return the image's record, with {@code repo@digest} of the push added to its repoDigests */
  ImageRecord push(ImageRecord image, ImageRef target) {
    byte[] manifestBytes = store.readBlob(Digest.parse(image.manifestDigest()));
    ManifestDocument doc = Manifests.parse(manifestBytes, image.manifestMediaType(),
        "manifest of " + image.id());
    if (!(doc instanceof ImageManifest manifest)) {
      throw new BerthException("the stored manifest of " + image.id() + " is not an image"
          + " manifest; pull the image again");
    }
    Repository repo = Repository.of(target);
    Repository mountFrom = sourceRepository(image, repo);
    List<Descriptor> blobs = new ArrayList<>(manifest.layers());
    blobs.add(manifest.config());
    for (Descriptor d : blobs) {
      registry.pushBlob(repo, d.digest(), d.size(), BlobSource.of(store.blobPath(d.digest())),
          mountFrom);
    }
    Digest digest = registry.putManifest(target, manifestBytes, image.manifestMediaType());
    return ImageCatalog.add(store,
        image.withRepoDigests(List.of(repo + "@" + digest)).withRepoTags(List.of()), null);
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
