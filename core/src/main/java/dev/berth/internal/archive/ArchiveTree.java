package dev.berth.internal.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The files of an image archive, by normalised path relative to its root ({@code index.json},
 * {@code blobs/sha256/…}): an OCI layout directory or a tar. Readers see both the same way.
 */
interface ArchiveTree extends Closeable {
  /** @return the archive as errors name it: its path */
  String name();

  /** @return whether a regular file (after links inside the archive) is at {@code path} */
  boolean exists(String path) throws IOException;

  /** @return the size in bytes of the file at {@code path}, which must exist */
  long size(String path) throws IOException;

  /** @return the content of the file at {@code path}, which must exist; the caller closes it */
  InputStream open(String path) throws IOException;
}
