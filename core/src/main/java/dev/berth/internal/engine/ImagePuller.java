package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.Platform;
import dev.berth.PullListener;
import dev.berth.PullProgress;
import dev.berth.PullProgress.Status;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageIndex;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.manifest.PlatformMatcher;
import dev.berth.internal.registry.Manifest;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.Repository;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Reservation;
import dev.berth.internal.store.Store;
import dev.berth.internal.unpack.LowerLayers;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * {@code Image.pull}: reference → manifest (platform picked from an index) → config → each
 * missing layer downloaded, verified and unpacked into the store, in parallel → image record.
 * A second pull of a stored image only fetches the manifest.
 */
final class ImagePuller {
  private final Store store;
  private final RegistryClient registry;
  private final Platform platform;
  private final ExecutorService workers;
  private final LayerImporter importer;

  ImagePuller(Store store, RegistryClient registry, Platform platform, ExecutorService workers,
      LayerImporter importer) {
    this.store = store;
    this.registry = registry;
    this.platform = platform;
    this.workers = workers;
    this.importer = importer;
  }

  ImageRecord pull(ImageRef ref, PullListener listener) {
    try {
      return pullImage(ref, listener);
    } catch (BerthException e) {
      if (Store.isDiskFull(e)) {
        throw Store.failure("pulling " + ref + " failed", store.layout().home(),
            new IOException(e.getMessage(), e));
      }
      throw e;
    }
  }

  private ImageRecord pullImage(ImageRef ref, PullListener listener) {
    listener.onProgress(new PullProgress(ref, null, Status.RESOLVING, 0, -1));
    Optional<ImageRecord> present = present(ref);
    if (present.isPresent()) {
      ImageRecord r = present.get();
      r.layerDigests().forEach(d -> listener.onProgress(
          new PullProgress(ref, Digest.parse(d), Status.ALREADY_EXISTS, 0, -1)));
      listener.onProgress(new PullProgress(ref, null, Status.DONE, r.size(), r.size()));
      return r;
    }
    Manifest top = registry.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    ManifestDocument doc = Manifests.parse(top.bytes(), top.mediaType(), ref.toString());
    Manifest chosen = top;
    if (doc instanceof ImageIndex index) {
      Descriptor d = PlatformMatcher.select(index, platform, ref.toString());
      chosen = registry.fetchManifest(ref.withDigest(d.digest()), MediaTypes.ACCEPT_MANIFESTS);
      doc = Manifests.parse(chosen.bytes(), chosen.mediaType(), ref + "@" + d.digest());
    }
    if (!(doc instanceof ImageManifest manifest)) {
      throw new BerthException("the index of " + ref + " points at another index for "
          + platform + "; nested indexes are not supported");
    }
    Repository repo = Repository.of(ref);
    Digest configDigest = manifest.config().digest();
    List<Digest> blobs = new ArrayList<>(List.of(chosen.digest(), configDigest));
    manifest.layers().forEach(l -> blobs.add(l.digest()));
    // reserved before anything is looked up, so a concurrent GC cannot take it (see Store)
    try (Reservation reservation = store.reserve(blobs)) {
      byte[] configBytes = configBlob(repo, manifest.config());
      ImageConfig config = Manifests.parseConfig(configBytes,
          "config " + configDigest + " of " + ref);
      List<Digest> diffIds = config.diffIds();
      if (diffIds.size() != manifest.layers().size()) {
        throw new BerthException("image " + ref + " is malformed: its manifest lists "
            + manifest.layers().size() + " layers but its config has " + diffIds.size()
            + " diff_ids; the image must be rebuilt and pushed again");
      }
      List<LayerImporter.Layer> layers = LayerImporter.Layer.of(manifest.layers(), diffIds);
      reservation.addAll(layers.stream().map(LayerImporter.Layer::chainId).toList());
      long size = pullLayers(ref, repo, layers, listener);
      store.putBlob(chosen.digest(), chosen.bytes());
      ImageRecord record = ImageCatalog.newRecord(chosen.digest(), chosen.mediaType(),
          configDigest, config, layers,
          List.of(ref.registry() + "/" + ref.repository() + "@" + top.digest()), size);
      ImageRecord stored = ImageCatalog.add(store, record, ref);
      listener.onProgress(new PullProgress(ref, null, Status.DONE, size, size));
      return stored;
    }
  }

  /**
   * The stored image {@code ref} still names, found with one HEAD request for a tag (none for a
   * digest): the registry's digest for the tag is one this image was pulled by, it is tagged
   * {@code ref}, it is for this engine's platform, and every layer is stored.
   */
  private Optional<ImageRecord> present(ImageRef ref) {
    String repo = ref.registry() + "/" + ref.repository() + "@";
    List<ImageRecord> candidates = store.images().stream()
        .filter(r -> ref.digest() != null
            ? r.repoDigests().contains(repo + ref.digest())
            : r.repoTags().contains(ref.toString()))
        .filter(r -> Platform.parse(r.platform()).os().equals(platform.os())
            && Platform.parse(r.platform()).architecture().equals(platform.architecture()))
        .filter(r -> r.chainIds().stream().allMatch(c -> store.hasLayer(Digest.parse(c))))
        .toList();
    if (candidates.isEmpty() || ref.digest() != null) {
      return candidates.stream().findFirst();
    }
    Digest current = registry.headManifest(ref, MediaTypes.ACCEPT_MANIFESTS).digest();
    return candidates.stream().filter(r -> r.repoDigests().contains(repo + current)).findFirst();
  }

  /** Fetches and imports the missing layers in parallel; returns the unpacked size of all. */
  private long pullLayers(ImageRef ref, Repository repo, List<LayerImporter.Layer> layers,
      PullListener listener) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (LayerImporter.Layer layer : layers) {
      if (!store.hasLayer(layer.chainId())) {
        listener.onProgress(new PullProgress(ref, layer.blob().digest(), Status.WAITING, 0,
            layer.blob().size()));
      }
    }
    for (int i = 0; i < layers.size(); i++) {
      LayerImporter.Layer layer = layers.get(i);
      // A hardlink to a lower layer's file waits for the layers below; they were queued first.
      List<CompletableFuture<Long>> earlier = List.copyOf(futures);
      LowerLayers below = importer.below(layers.subList(0, i), () -> earlier.forEach(ImagePuller::await));
      futures.add(CompletableFuture.supplyAsync(() -> ensureLayer(ref, repo, layer, below, listener),
          workers));
    }
    long size = 0;
    for (CompletableFuture<Long> f : futures) {
      size += join(f, futures);
    }
    return size;
  }

  private byte[] configBlob(Repository repo, Descriptor d) {
    if (store.hasBlob(d.digest())) {
      return store.readBlob(d.digest());
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.max(d.size(), 64));
    registry.fetchBlob(repo, d.digest(), d.size(), out);
    byte[] bytes = out.toByteArray();
    store.putBlob(d.digest(), bytes);
    return bytes;
  }

  /** Makes sure the layer is unpacked in the store; returns its unpacked size. */
  private long ensureLayer(ImageRef ref, Repository repo, LayerImporter.Layer layer,
      LowerLayers below, PullListener listener) {
    Descriptor blob = layer.blob();
    ExtractProgress extracting = new ExtractProgress(ref, blob, listener);
    boolean imported = importer.importIfMissing(layer, sink -> {
      extracting.downloading();
      // not closed here: the importer ends the blob file and the unpack's stream itself
      OutputStream out = new ProgressStream(sink, ref, blob, listener);
      registry.fetchBlob(repo, blob.digest(), blob.size(), out);
      out.flush();
      extracting.downloaded();
    }, extracting, below);
    listener.onProgress(new PullProgress(ref, blob.digest(),
        imported ? Status.PULL_COMPLETE : Status.ALREADY_EXISTS, 0, -1));
    return store.layerMeta(layer.chainId()).orElseThrow().size();
  }

  /**
   * EXTRACTING events: how far the unpack has read into the compressed blob. While the blob
   * still arrives, the DOWNLOADING events say the same; the unpack's own events start when the
   * last byte is in (what is left is the unpack catching up), or at once for a stored blob.
   */
  private static final class ExtractProgress implements LayerImporter.Extracted {
    private static final long MIN_NANOS = 100_000_000L;
    private final ImageRef ref;
    private final Descriptor blob;
    private final PullListener listener;
    private volatile boolean downloading;
    private volatile boolean downloaded;
    private volatile long read;
    private long reportedAt;

    ExtractProgress(ImageRef ref, Descriptor blob, PullListener listener) {
      this.ref = ref;
      this.blob = blob;
      this.listener = listener;
    }

    void downloading() {
      downloading = true;
    }

    void downloaded() {
      listener.onProgress(new PullProgress(ref, blob.digest(), Status.VERIFYING, blob.size(),
          blob.size()));
      downloaded = true;
      report(read);
    }

    @Override
    public void bytes(long compressedRead) {
      read = compressedRead;
      long now = System.nanoTime();
      if ((!downloading || downloaded) && now - reportedAt >= MIN_NANOS) {
        reportedAt = now;
        report(compressedRead);
      }
    }

    private void report(long at) {
      listener.onProgress(new PullProgress(ref, blob.digest(), Status.EXTRACTING, at, blob.size()));
    }
  }

  /** Waits for a lower layer's import; its own failure is what the pull reports. */
  private static void await(CompletableFuture<Long> lower) {
    try {
      lower.join();
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      throw new BerthException("a layer below failed to import: " + e.getCause(), e);
    }
  }

  private static long join(CompletableFuture<Long> f, List<CompletableFuture<Long>> all) {
    try {
      return f.join();
    } catch (CompletionException e) {
      all.forEach(other -> other.cancel(false));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new BerthException("pull failed: " + e.getCause(), e.getCause());
    }
  }
}
