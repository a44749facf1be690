package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.internal.manifest.ChainIds;
import dev.berth.internal.manifest.Compression;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.store.StoreLayout;
import dev.berth.internal.util.Hashes;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLock;
import dev.berth.internal.unpack.LayerUnpacker;
import dev.berth.internal.unpack.LowerLayers;
import dev.berth.internal.unpack.UnpackSummary;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stored layer blob into an unpacked layer dir: decompress, hash the tar (its diffID),
 * unpack into staging, verify, rename into place. Used by pull and by load.
 */
final class LayerImporter {
  private final Store store;
  private final LayerUnpacker unpacker;
  private final String format;
  private final TreeRemover trees;
  private final boolean ownersBeside;

  /**
   * @param ownersBeside keep owners that need the helper in the layer's owners file instead of
   *     setting them (rootless copy mode: the user must be able to read every file to copy it)
   */
  LayerImporter(Store store, LayerUnpacker unpacker, String format, TreeRemover trees, boolean ownersBeside) {
    this.store = store;
    this.unpacker = unpacker;
    this.format = format;
    this.trees = trees;
    this.ownersBeside = ownersBeside;
  }

  /** One layer of an image: its blob, its diffID, and where it sits in the chain. */
  record Layer(Descriptor blob, Digest diffId, Digest chainId, Digest parent) {
    /** The layers of an image, base first, from its manifest's blobs and its config's diffIDs. */
    static List<Layer> of(List<Descriptor> blobs, List<Digest> diffIds) {
      List<Digest> chainIds = ChainIds.compute(diffIds);
      List<Layer> out = new ArrayList<>();
      for (int i = 0; i < blobs.size(); i++) {
        out.add(new Layer(blobs.get(i), diffIds.get(i), chainIds.get(i),
            i == 0 ? null : chainIds.get(i - 1)));
      }
      return out;
    }
  }

  /**
   * The stored dirs of {@code layers} (an image's, base first), for a hardlink in the layer above
   * them to find its target in. {@code await} runs first, when a hardlink asks: a parallel pull
   * waits there for those layers to be stored.
   */
  LowerLayers below(List<Layer> layers, Runnable await) {
    return () -> {
      await.run();
      List<LowerLayers.Layer> dirs = new ArrayList<>();
      for (int i = layers.size() - 1; i >= 0; i--) {
        Layer l = layers.get(i);
        if (!store.hasLayer(l.chainId())) {
          throw new BerthException("layer " + l.blob().digest() + " is not stored, but the layer"
              + " above it links to a file in it; pull the image again");
        }
        dirs.add(new LowerLayers.Layer(store.layout().layerDiff(l.chainId()),
            l.blob().digest().toString(), ownersBeside ? ownersOf(l) : LowerLayers.Owners.ON_FILES));
      }
      return dirs;
    };
  }

  /** The owners a rootless copy-mode layer keeps beside its files, read when first asked. */
  private LowerLayers.Owners ownersOf(Layer layer) {
    Path file = store.layout().layerOwners(layer.chainId());
    AtomicReference<Map<String, HelperJobs.Chown>> read = new AtomicReference<>();
    return path -> {
      Map<String, HelperJobs.Chown> owners = read.updateAndGet(m -> m != null ? m : LayerOwners.read(file));
      HelperJobs.Chown o = owners.get(path);
      return o == null ? null : new int[] {o.uid(), o.gid()};
    };
  }

  /**
   * Imports {@code layer} from its stored blob unless its dir is stored already. One JVM at a
   * time imports a given layer; the others wait, then find it stored.
   *
   * @param fetch run first, under the layer's lock, to make sure the blob is stored
   * @param below the layers under it (see {@link #below})
   * @return true when this call imported it, false when it was already there
   */
  boolean importIfMissing(Layer layer, Runnable fetch, LowerLayers below) {
    if (store.hasLayer(layer.chainId())) {
      return false;
    }
    try (StoreLock lock = store.lock("layer-" + layer.chainId().hex())) {
      if (store.hasLayer(layer.chainId())) {
        return false;
      }
      fetch.run();
      importBlob(store.blobPath(layer.blob().digest()), layer.blob().mediaType(), layer.diffId(),
          layer.chainId(), layer.parent(), layer.blob().digest().toString(), below);
      return true;
    }
  }

  /**
   * @throws DigestMismatchException when the uncompressed layer is not {@code diffId}; the
   *     staged layer and the blob are then discarded
   */
  void importBlob(Path blob, String mediaType, Digest diffId, Digest chainId, Digest parent,
      String name, LowerLayers below) {
    Compression compression = MediaTypes.layerCompression(mediaType);
    Path staging = store.newTempDir("layer-");
    try {
      Path diff = Files.createDirectory(staging.resolve("diff"));
      MessageDigest sha = Hashes.sha256();
      UnpackSummary summary;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(blob), 1 << 20);
          InputStream tar = new DigestInputStream(compression.decompress(in), sha)) {
        summary = unpacker.unpack(tar, Compression.NONE, diff, name, below);
      }
      Digest actual = Hashes.finishSha256(sha);
      if (!actual.equals(diffId)) {
        Files.deleteIfExists(blob);
        throw new DigestMismatchException("layer " + name + " uncompressed (its diffID)",
            diffId.toString(), actual.toString());
      }
      applyDeferredOwners(staging, diff, summary);
      store.commitLayer(staging, new Store.LayerMeta(chainId.toString(), diffId.toString(),
          parent == null ? null : parent.toString(), summary.bytes(), format));
    } catch (IOException e) {
      throw Store.failure("cannot unpack layer " + name + " into " + staging, staging, e);
    } finally {
      try {
        trees.remove(staging); // gone already when committed
      } catch (BerthException ignored) {
        // swept with the session dir
      }
    }
  }

  /** Owners of subordinate ids, which only the helper in a user namespace can set. */
  private void applyDeferredOwners(Path staging, Path diff, UnpackSummary summary) {
    List<HelperJobs.Chown> owners = summary.deferredOwners().stream()
        .map(o -> new HelperJobs.Chown(o.path(), o.uid(), o.gid())).toList();
    if (ownersBeside) {
      LayerOwners.write(staging.resolve(StoreLayout.LAYER_OWNERS), owners);
    } else if (!owners.isEmpty()) {
      if (trees.jobs() == null) {
        throw new IllegalStateException("owners were deferred without a helper to apply them");
      }
      trees.jobs().chown(diff, owners);
    }
  }
}
