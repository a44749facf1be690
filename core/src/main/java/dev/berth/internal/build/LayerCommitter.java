package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.ParallelGzipOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.zip.Deflater;

/**
 * Turns a staged overlay-format layer dir into a stored layer: one pass writes the reproducible
 * tar, hashing it (the diffID) and gzipping it on the pool of {@link ParallelGzipOutputStream}
 * into a blob (hashed too); then the blob and the dir
 * (as the unpacked layer, no second unpack) are renamed into the store.
 */
final class LayerCommitter {
  private final Store store;
  private final String format = Linux.isRoot() ? "overlay" : "overlay-userxattr";

  LayerCommitter(Store store) {
    this.store = store;
  }

  /**
   * @param staging a store temp dir holding only {@code diff/}; gone afterwards
   * @param parent the chain id of the layer below, or null
   * @param clamp mtimes later than this are written as it, or null
   */
  LayerRef commit(Path staging, Digest parent, Instant clamp) {
    Path blobTmp = store.newTempFile("layer-");
    try {
      MessageDigest diffHash = Hashes.sha256();
      MessageDigest blobHash = Hashes.sha256();
      long content;
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(blobTmp), 1 << 16);
          // speed over size: a build commits layers often; the bytes are the same for each run
          OutputStream gz = new ParallelGzipOutputStream(new DigestOutputStream(file, blobHash),
              Deflater.BEST_SPEED);
          OutputStream tar = new DigestOutputStream(gz, diffHash)) {
        content = new LayerTar(staging.resolve("diff"), clamp).write(tar);
      }
      Digest diffId = Hashes.finishSha256(diffHash);
      Digest blob = Hashes.finishSha256(blobHash);
      long blobSize = Files.size(blobTmp);
      Digest chainId = parent == null ? diffId : Hashes.sha256(parent + " " + diffId);
      if (store.hasBlob(blob)) {
        Files.delete(blobTmp);
      } else {
        store.commitBlob(blobTmp, blob);
      }
      if (store.hasLayer(chainId)) {
        FileTrees.deleteRecursively(staging);
      } else {
        store.commitLayer(staging, new Store.LayerMeta(chainId.toString(), diffId.toString(),
            parent == null ? null : parent.toString(), content, format));
      }
      return new LayerRef(diffId, chainId, blob, blobSize, MediaTypes.OCI_LAYER_GZIP, content);
    } catch (IOException e) {
      throw new BerthException("cannot store the layer built in " + staging + ": " + e
          + "; check the space and permissions of the store", e);
    }
  }
}
