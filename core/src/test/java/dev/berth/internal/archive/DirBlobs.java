package dev.berth.internal.archive;

import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
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

  /** Hashes into a temp file and renames only when the digest matches, as the store does. */
  @Override
  public void accept(Digest expected, InputStream content) throws IOException {
    Path temp = Files.createTempFile(dir, "in-", ".tmp");
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
        content.transferTo(out);
      }
      Digest actual = Digest.sha256(HexFormat.of().formatHex(sha.digest()));
      if (!actual.equals(expected)) {
        throw new DigestMismatchException("test sink", expected.toString(), actual.toString());
      }
      Files.move(temp, path(expected));
      accepted.add(expected);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
