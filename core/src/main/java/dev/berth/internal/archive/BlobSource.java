package dev.berth.internal.archive;

import dev.berth.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@link ArchiveWriter} reads layer blobs from (the store, in the engine). Manifests and
 * configs travel as bytes in {@link ArchiveImage}, so only layers are asked for. The writer
 * verifies what it reads against the digest, so a damaged store never yields a damaged archive.
 */
@FunctionalInterface
public interface BlobSource {
  /**
   * @param digest the blob's digest, as the manifest names it
   * @return the blob's bytes, exactly as stored (compressed layers stay compressed); the caller
   *     closes the stream
   * @throws IOException when the blob cannot be read, e.g. it is not in the store
   */
  InputStream open(Digest digest) throws IOException;
}
