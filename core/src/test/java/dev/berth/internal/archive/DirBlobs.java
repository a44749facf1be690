package dev.berth.internal.archive;

import dev.berth.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A minimal content-addressed blob directory: the store's role, without the store. */
final class DirBlobs implements BlobSource, BlobSink {
  private final Path dir;
  private final List<Digest> accepted = new ArrayList<>();

  DirBlobs(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Path path(Digest digest) {
    return dir.resolve(digest.algorithm() + "-" + digest.hex());
  }

  void put(Digest digest, byte[] content) throws IOException {
    Files.write(path(digest), content);
  }

  boolean has(Digest digest) {
    return Files.exists(path(digest));
  }

  byte[] bytes(Digest digest) throws IOException {
    return Files.readAllBytes(path(digest));
  }

  /** Every digest {@link #accept} stored, in order. */
  List<Digest> accepted() {
    return List.copyOf(accepted);
  }

  @Override
  public InputStream open(Digest digest) throws IOException {
    return Files.newInputStream(path(digest));
  }

  /**
   * Copies into a temp file and renames it into place. It does not hash: the reader's stream
   * throws from {@code read} when the content is wrong, and that alone must keep it out.
   */
  @Override
  public void accept(Digest expected, InputStream content) throws IOException {
    Path temp = Files.createTempFile(dir, "in-", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.transferTo(out);
      }
      Files.move(temp, path(expected));
      accepted.add(expected);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
