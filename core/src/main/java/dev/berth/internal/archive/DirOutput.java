package dev.berth.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes into a directory Berth has just created. Files are created with {@code CREATE_NEW},
 * which never follows a link, so nothing is written outside the directory.
 */
final class DirOutput implements LayoutOutput {
  private final Path root;

  DirOutput(Path root) {
    this.root = root;
  }

  @Override
  public void directory(String path) throws IOException {
    Files.createDirectory(root.resolve(path));
  }

  @Override
  public void file(String path, byte[] content) throws IOException {
    Files.write(root.resolve(path), content, StandardOpenOption.CREATE_NEW);
  }

  @Override
  public void file(String path, long size, InputStream content) throws IOException {
    try (OutputStream out = Files.newOutputStream(root.resolve(path),
        StandardOpenOption.CREATE_NEW)) {
      long copied = content.transferTo(out);
      if (copied != size) {
        throw new IOException(path + " has " + copied + " bytes, expected " + size);
      }
    }
  }
}
