package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Hashes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * Turns a staged overlay-format layer dir into a stored layer: one pass writes the reproducible
 * tar into a blob, hashing it (the diffID, which is also the blob's digest); then the blob and
 * the dir (as the unpacked layer, no second unpack) are renamed into the store. The blob is kept
 * uncompressed, as buildah and Docker keep built layers: gzip was two thirds of a commit, and a
 * layer is compressed only when it leaves the machine ({@code OutgoingManifest}, at push).
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
      long content;
      try (OutputStream tar = new DigestOutputStream(
          new BufferedOutputStream(Files.newOutputStream(blobTmp), 1 << 16), diffHash)) {
        content = new LayerTar(staging.resolve("diff"), clamp).write(tar);
      }
      // stored as a plain tar, so its digest is the diffID; compressed when it is pushed
      Digest diffId = Hashes.finishSha256(diffHash);
      long blobSize = Files.size(blobTmp);
      Digest chainId = parent == null ? diffId : Hashes.sha256(parent + " " + diffId);
      if (store.hasBlob(diffId)) {
        Files.delete(blobTmp);
      } else {
        store.commitBlob(blobTmp, diffId);
      }
      if (store.hasLayer(chainId)) {
        FileTrees.deleteRecursively(staging);
      } else {
        store.commitLayer(staging, new Store.LayerMeta(chainId.toString(), diffId.toString(),
            parent == null ? null : parent.toString(), content, format));
      }
      return new LayerRef(diffId, chainId, diffId, blobSize, MediaTypes.OCI_LAYER, content);
    } catch (IOException e) {
      throw new BerthException("cannot store the layer built in " + staging + ": " + e
          + "; check the space and permissions of the store", e);
    }
  }
}
