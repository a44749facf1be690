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
import dev.berth.internal.util.ChunkPipe;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
  /** Chunks of 64 KiB (the download's writes) that may wait between the fetch and the unpack. */
  private static final int PIPE_CHUNKS = 128;
  private static final int INFLATE_CHUNKS = 16;
  private static final int INFLATE_CHUNK_SIZE = 256 << 10;

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

  /** Where a layer's compressed bytes come from when its blob is not stored yet. */
  interface Fetch {
    /**
     * Writes the blob to {@code sink} as it arrives, and throws when it is not the blob it
     * should be (size, digest); {@code sink} may drop bytes when the unpack stopped early.
     */
    void to(OutputStream sink) throws IOException;
  }

  /** Reports how far the unpack has read into the compressed blob. */
  interface Extracted {
    void bytes(long compressedRead);
  }

  /**
   * Imports {@code layer} unless its dir is stored already. One JVM at a time imports a given
   * layer; the others wait, then find it stored. A stored blob is unpacked from its file; else
   * the blob is fetched and unpacked in one pass: the bytes go to the blob file and, as they
   * arrive, through inflate and the diffID's hash into the unpack, each on its own thread.
   *
   * @param fetch brings the blob when it is not stored, or null when it must be stored already
   * @param extracted told of the unpack's progress through the compressed blob
   * @param below the layers under it (see {@link #below})
   * @return true when this call imported it, false when it was already there
   */
  boolean importIfMissing(Layer layer, Fetch fetch, Extracted extracted, LowerLayers below) {
    if (store.hasLayer(layer.chainId())) {
      return false;
    }
    try (StoreLock lock = store.lock("layer-" + layer.chainId().hex())) {
      if (store.hasLayer(layer.chainId())) {
        return false;
      }
      Descriptor blob = layer.blob();
      String name = blob.digest().toString();
      if (fetch == null || store.hasBlob(blob.digest())) {
        importBlob(store.blobPath(blob.digest()), blob.mediaType(), layer.diffId(), layer.chainId(),
            layer.parent(), name, below);
      } else {
        fetchAndImport(layer, fetch, extracted, below);
      }
      return true;
    }
  }

  /**
   * @throws DigestMismatchException when the uncompressed layer is not {@code diffId}; the
   *     staged layer and the blob are then discarded
   */
  void importBlob(Path blob, String mediaType, Digest diffId, Digest chainId, Digest parent,
      String name, LowerLayers below) {
    Path staging = store.newTempDir("layer-");
    try {
      InputStream in;
      try {
        in = Files.newInputStream(blob);
      } catch (IOException e) {
        throw Store.failure("cannot read layer blob " + name + " at " + blob, blob, e);
      }
      UnpackSummary summary = unpack(in, mediaType, diffId, name, staging, below, n -> { },
          () -> {
            try {
              Files.deleteIfExists(blob);
            } catch (IOException ignored) {
              // a bad blob left behind is found bad again by the next import
            }
          });
      commit(staging, chainId, diffId, parent, summary);
    } finally {
      discard(staging);
    }
  }

  private void fetchAndImport(Layer layer, Fetch fetch, Extracted extracted, LowerLayers below) {
    Descriptor blob = layer.blob();
    String name = blob.digest().toString();
    Path staging = store.newTempDir("layer-");
    Path tmp = store.newTempFile("blob-");
    ChunkPipe pipe = new ChunkPipe(PIPE_CHUNKS);
    CompletableFuture<UnpackSummary> unpacked = new CompletableFuture<>();
    Thread unpacker = new Thread(() -> {
      try (InputStream in = pipe.input()) {
        unpacked.complete(unpack(in, blob.mediaType(), layer.diffId(), name, staging, below,
            extracted, () -> { }));
      } catch (Throwable t) {
        unpacked.completeExceptionally(t);
      }
    }, "berth-unpack-" + blob.digest().hex().substring(0, 12));
    unpacker.setDaemon(true);
    unpacker.start();
    try {
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
          OutputStream both = new Tee(file, pipe.output())) {
        fetch.to(both);
      } catch (IOException e) {
        throw pipeFailed(pipe, unpacked, Store.failure("cannot write blob " + name + " to " + tmp, tmp, e));
      } catch (RuntimeException e) {
        throw pipeFailed(pipe, unpacked, e);
      } catch (Error e) {
        throw pipeFailed(pipe, unpacked, e);
      }
      UnpackSummary summary = await(unpacked);
      store.commitBlob(tmp, blob.digest());
      commit(staging, layer.chainId(), layer.diffId(), layer.parent(), summary);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // swept with the session dir
      }
      discard(staging);
    }
  }

  /** The fetch failed: the unpack ends too, and the fetch's failure is the one to report. */
  private static <T extends Throwable> T pipeFailed(ChunkPipe pipe, CompletableFuture<?> unpacked, T failure) {
    pipe.fail(failure);
    try {
      unpacked.join();
    } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
      // it failed because the fetch did
    }
    return failure;
  }

  private static UnpackSummary await(CompletableFuture<UnpackSummary> unpacked) {
    try {
      return unpacked.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new BerthException("unpack failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Inflates and hashes {@code compressed} on a thread of its own while the unpacker applies the
   * tar to {@code staging/diff}; checks the diffID.
   *
   * @param onMismatch run before the diffID mismatch is thrown
   */
  private UnpackSummary unpack(InputStream compressed, String mediaType, Digest diffId, String name,
      Path staging, LowerLayers below, Extracted extracted, Runnable onMismatch) {
    Compression compression = MediaTypes.layerCompression(mediaType);
    MessageDigest sha = Hashes.sha256();
    UnpackSummary summary;
    try {
      Path diff = Files.createDirectory(staging.resolve("diff"));
      InputStream counted = new Counting(new BufferedInputStream(compressed, 1 << 16), extracted);
      try (InputStream tar = ChunkPipe.readAhead(
          new DigestInputStream(compression.decompress(counted), sha),
          "berth-inflate", INFLATE_CHUNKS, INFLATE_CHUNK_SIZE)) {
        summary = unpacker.unpack(tar, Compression.NONE, diff, name, below);
      }
    } catch (IOException e) {
      throw Store.failure("cannot unpack layer " + name + " into " + staging, staging, e);
    }
    Digest actual = Hashes.finishSha256(sha);
    if (!actual.equals(diffId)) {
      onMismatch.run();
      throw new DigestMismatchException("layer " + name + " uncompressed (its diffID)",
          diffId.toString(), actual.toString());
    }
    return summary;
  }

  private void commit(Path staging, Digest chainId, Digest diffId, Digest parent, UnpackSummary summary) {
    applyDeferredOwners(staging, staging.resolve("diff"), summary);
    store.commitLayer(staging, new Store.LayerMeta(chainId.toString(), diffId.toString(),
        parent == null ? null : parent.toString(), summary.bytes(), format));
  }

  private void discard(Path staging) {
    try {
      trees.remove(staging); // gone already when committed
    } catch (BerthException ignored) {
      // swept with the session dir
    }
  }

  /** Writes to both; the second is the unpack's pipe, which drops bytes once the unpack ended. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      try {
        first.close();
      } finally {
        second.close();
      }
    }
  }

  /** Tells {@link Extracted} how many compressed bytes the inflater has taken, every 256 KiB. */
  private static final class Counting extends java.io.FilterInputStream {
    private final Extracted extracted;
    private long read;
    private long told;

    Counting(InputStream in, Extracted extracted) {
      super(in);
      this.extracted = extracted;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        advance(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        advance(n);
      }
      return n;
    }

    private void advance(long n) {
      read += n;
      if (read - told >= 256 << 10) {
        told = read;
        extracted.bytes(read);
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
