package dev.berth.internal.archive;

import dev.berth.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where {@link ArchiveReader} hands the layer blobs it reads (the store, in the engine).
 * Manifests and configs travel as bytes in {@link ArchiveImage} instead.
 *
 * <p>The stream the reader passes checks its own digest and size when it reaches its end and
 * throws {@link dev.berth.DigestMismatchException} (naming the archive and the blob) from
 * {@code read} when they are wrong, so an implementation that reads to the end, hashes into a
 * temp file and renames only afterwards never keeps damaged content. Implementations may verify
 * again; they must not keep the blob when {@code read} throws.
 */
@FunctionalInterface
public interface BlobSink {
  /**
   * Stores one blob. Called at most once per digest and read.
   *
   * @param expected the digest the content must hash to
   * @param content the blob's bytes; read it to its end, do not close it
   * @throws IOException when the blob cannot be stored
   */
  void accept(Digest expected, InputStream content) throws IOException;
}
