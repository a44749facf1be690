package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.util.Hashes;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Reading an archive's files for its readers: small documents into memory, layers through a
 * {@link VerifiedStream} into the sink (each digest once). Every error names the archive.
 */
final class ArchiveContent {
  /** Manifests, indexes and configs are kilobytes; a bigger one is not an image document. */
  static final int MAX_DOCUMENT_BYTES = 16 << 20;
  static final String ADVICE =
      "the archive is corrupt or was altered; make it again from its source (save, docker save)";

  private final ArchiveTree tree;
  private final BlobSink sink;
  private final Set<Digest> stored = new HashSet<>();

  ArchiveContent(ArchiveTree tree, BlobSink sink) {
    this.tree = tree;
    this.sink = sink;
  }

  /** @return the archive as errors name it */
  String name() {
    return tree.name();
  }

  boolean exists(String path) throws IOException {
    return tree.exists(path);
  }

  long size(String path) throws IOException {
    return tree.size(path);
  }

  InputStream open(String path) throws IOException {
    return tree.open(path);
  }

  /**
   * @param what why the file is needed, e.g. {@code the config manifest.json lists}
   * @return the whole file
   * @throws BerthException when it is missing or too big to be a document
   */
  byte[] document(String path, String what) throws IOException {
    require(path, what);
    long size = tree.size(path);
    if (size > MAX_DOCUMENT_BYTES) {
      throw new BerthException("archive " + name() + ": " + path + " (" + what + ") is " + size
          + " bytes, too big for an image document (at most " + MAX_DOCUMENT_BYTES + "); "
          + ADVICE);
    }
    try (InputStream in = tree.open(path)) {
      return in.readAllBytes();
    }
  }

  /**
   * @param size the size the descriptor gives, or -1 when it gives none
   * @return the blob's bytes, verified against its digest and size
   */
  byte[] blob(Digest digest, long size, String what) throws IOException {
    String path = ArchivePaths.blob(digest);
    byte[] bytes = document(path, what);
    Digest actual = Hashes.of(digest.algorithm(), bytes);
    if (!actual.equals(digest)) {
      throw new DigestMismatchException(blobName(path, what), digest.toString(),
          actual.toString(), ADVICE);
    }
    if (size >= 0 && bytes.length != size) {
      throw new BerthException(blobName(path, what) + " is " + bytes.length + " bytes, but its"
          + " descriptor says " + size + "; " + ADVICE);
    }
    return bytes;
  }

  /**
   * Streams a file to the sink once per digest, verifying it on the way.
   *
   * @param expected the digest the content must hash to
   * @param size the size it must have, or -1 when unknown
   */
  void store(String path, Digest expected, long size, String what) throws IOException {
    if (stored.contains(expected)) {
      return;
    }
    require(path, what);
    try (InputStream in = tree.open(path)) {
      VerifiedStream verified =
          new VerifiedStream(in, expected, size, blobName(path, what), ADVICE);
      sink.accept(expected, verified);
      verified.finish();
    }
    stored.add(expected);
  }

  /** @throws BerthException naming the archive, the path and who lists it, when it is absent */
  void require(String path, String what) throws IOException {
    if (!tree.exists(path)) {
      throw new BerthException("archive " + name() + " lacks " + path + " (" + what
          + "): the archive is incomplete; make it again from its source (save, docker save)");
    }
  }

  /**
   * Reads a manifest or index found in an archive.
   *
   * @throws BerthException (not the parser's RegistryException: the archive is at fault)
   */
  static ManifestDocument parse(byte[] bytes, String mediaType, String source) {
    try {
      return Manifests.parse(bytes, mediaType, source);
    } catch (RegistryException e) {
      throw new BerthException(e.getMessage() + "; " + ADVICE, e);
    }
  }

  private String blobName(String path, String what) {
    return path + " (" + what + ") in archive " + name();
  }
}
