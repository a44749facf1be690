package dev.berth.internal.build;

import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.archive.ArchiveFormat;
import dev.berth.internal.archive.ArchiveImage;
import dev.berth.internal.archive.ArchiveWriter;
import dev.berth.internal.engine.Engine;
import dev.berth.internal.engine.OutgoingManifest;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.registry.BlobSource;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.Repository;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where a finished build goes: the local store (tagged), an OCI layout or archive, or a registry.
 * The manifest is an OCI image manifest over the config and the plain-tar layers the build made;
 * a push sends them gzipped.
 */
public final class ImageOutput {
  private final Engine engine;
  private final Store store;
  private final BuildState state;
  private final byte[] config;
  private final byte[] manifest;

  public ImageOutput(Engine engine, BuildState state) {
    this.engine = engine;
    this.store = engine.store();
    this.state = state;
    this.config = state.configBytes();
    List<Descriptor> layers = state.layers().stream()
        .map(l -> Descriptor.of(l.mediaType(), l.blob(), l.blobSize())).toList();
    this.manifest = Manifests.toJson(new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
        Descriptor.of(MediaTypes.OCI_CONFIG, Hashes.sha256(config), config.length), layers,
        null, null));
  }

  /** Stores the image with its tags (moved from any image that had them); none leaves it untagged. */
  public ImageRecord store(List<String> tags) {
    Digest id = Hashes.sha256(config);
    Digest manifestDigest = Hashes.sha256(manifest);
    store.putBlob(id, config);
    store.putBlob(manifestDigest, manifest);
    ImageRecord record = new ImageRecord(id.toString(), manifestDigest.toString(),
        MediaTypes.OCI_MANIFEST, List.of(), List.of(),
        state.layers().stream().map(l -> l.chainId().toString()).toList(),
        state.layers().stream().map(l -> l.diffId().toString()).toList(),
        state.layers().stream().map(l -> l.blob().toString()).toList(),
        state.layers().stream().mapToLong(LayerRef::size).sum(), state.config().created(),
        state.config().platform().toString(), Instant.now().toString());
    if (tags.isEmpty()) {
      store.updateImages(list -> {
        if (list.stream().noneMatch(r -> r.id().equals(record.id()))) {
          list.add(record);
        }
        return list;
      });
      return engine.image(id.toString());
    }
    ImageRecord stored = record;
    for (String tag : tags) {
      stored = engine.tag(stored, BuildSession.tagRef(tag).toString());
    }
    return stored;
  }

  /** Writes an OCI layout dir, an oci-archive or a docker-archive with the image under its tags. */
  public void save(Path target, ArchiveFormat format, List<String> tags) {
    List<ImageRef> names = tags.stream().map(BuildSession::tagRef).toList();
    ArchiveImage image = ArchiveImage.of(names, manifest, MediaTypes.OCI_MANIFEST, config);
    ArchiveWriter.write(target, format, List.of(image),
        d -> Files.newInputStream(store.blobPath(d)));
  }

  /**
   * Pushes layers (gzipped, {@link OutgoingManifest}), config and manifest; returns the manifest
   * digest.
   */
  public Digest push(String reference) {
    ImageRef ref = BuildSession.tagRef(reference);
    RegistryClient registry = engine.registry();
    Repository repo = Repository.of(ref);
    Digest configDigest = Hashes.sha256(config);
    try (OutgoingManifest out = OutgoingManifest.of(store, manifest, MediaTypes.OCI_MANIFEST,
        configDigest.toString())) {
      for (Descriptor d : out.layers()) {
        registry.pushBlob(repo, d.digest(), d.size(), BlobSource.of(store.blobPath(d.digest())),
            null);
      }
      registry.pushBlob(repo, configDigest, config.length, BlobSource.of(config), null);
      return registry.putManifest(ref, out.bytes(), out.mediaType());
    }
  }
}
