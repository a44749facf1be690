package dev.berth.internal.archive;

import dev.berth.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashing for the digests the archive formats name content by. */
final class Hashes {
  private Hashes() {}

  /** @return a fresh hasher for {@code algorithm} ({@code sha256} or {@code sha512}) */
  static MessageDigest hasher(String algorithm) {
    try {
      return MessageDigest.getInstance("sha512".equals(algorithm) ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256 and SHA-512", e);
    }
  }

  /** @return the digest the hasher has computed so far, named by {@code algorithm} */
  static Digest finish(MessageDigest hasher, String algorithm) {
    return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
  }

  /** @return the sha256 digest of {@code content} */
  static Digest sha256(byte[] content) {
    MessageDigest hasher = hasher("sha256");
    hasher.update(content);
    return finish(hasher, "sha256");
  }

  /** @return the digest of {@code content} with {@code algorithm} */
  static Digest of(String algorithm, byte[] content) {
    MessageDigest hasher = hasher(algorithm);
    hasher.update(content);
    return finish(hasher, algorithm);
  }
}
