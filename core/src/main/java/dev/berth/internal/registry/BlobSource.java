package dev.berth.internal.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the bytes of a blob to push come from. {@link #open()} may be called more than once (a
 * retry reads the blob again) and must give the same bytes each time.
 */
@FunctionalInterface
public interface BlobSource {

  /** @return a fresh stream over the whole blob; the caller closes it */
  InputStream open() throws IOException;

  /** @return a source reading a file */
  static BlobSource of(Path file) {
    return () -> Files.newInputStream(file);
  }

  /** @return a source over bytes in memory (not copied: do not change them) */
  static BlobSource of(byte[] bytes) {
    return () -> new java.io.ByteArrayInputStream(bytes);
  }
}
