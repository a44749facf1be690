package dev.berth.internal.archive;

import dev.berth.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An OCI layout directory. Every path is resolved to its real path and must stay inside the
 * layout, so a link in a layout someone else made cannot make Berth read other files.
 */
final class DirTree implements ArchiveTree {
  private final Path root;
  private final String name;

  DirTree(Path dir) throws IOException {
    this.root = dir.toRealPath();
    this.name = dir.toString();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean exists(String path) throws IOException {
    Path real = locate(path);
    return real != null && Files.isRegularFile(real);
  }

  @Override
  public long size(String path) throws IOException {
    return Files.size(existing(path));
  }

  @Override
  public InputStream open(String path) throws IOException {
    return Files.newInputStream(existing(path));
  }

  @Override
  public void close() {
    // nothing held open
  }

  private Path existing(String path) throws IOException {
    Path real = locate(path);
    if (real == null) {
      throw new NoSuchFileException(root.resolve(path).toString());
    }
    return real;
  }

  /** @return the real path, or null when nothing is there */
  private Path locate(String path) throws IOException {
    Path real;
    try {
      real = root.resolve(ArchivePaths.normalise(path, name)).toRealPath();
    } catch (NoSuchFileException e) {
      return null;
    }
    if (!real.startsWith(root)) {
      throw new UnsafeArchiveException("OCI layout " + name + ": " + path + " is a link to "
          + real + ", outside the layout: refusing the layout; blobs must be files inside it");
    }
    return real;
  }
}
