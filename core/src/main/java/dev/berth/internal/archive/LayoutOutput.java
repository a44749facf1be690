package dev.berth.internal.archive;

import java.io.IOException;
import java.io.InputStream;

/** Where a writer puts an archive's files: a fresh directory, or a tar. Paths use {@code /}. */
interface LayoutOutput {
  /** Creates a directory (its parent already exists). */
  void directory(String path) throws IOException;

  /** Writes a small file. */
  void file(String path, byte[] content) throws IOException;

  /** Writes a file of exactly {@code size} bytes from {@code content}. */
  void file(String path, long size, InputStream content) throws IOException;
}
