package dev.berth.internal.util;

import dev.berth.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one owner of content hashing: digests of blobs, layers, configs, chain ids, cache keys and
 * names. Every module hashes through here rather than calling {@link MessageDigest} itself.
 */
public final class Hashes {
  private Hashes() {}

  /** @return a fresh hasher for {@code algorithm}: {@code sha512}, else SHA-256 */
  public static MessageDigest hasher(String algorithm) {
    try {
      return MessageDigest.getInstance("sha512".equals(algorithm) ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256 and SHA-512", e);
    }
  }

  /** @return a fresh SHA-256 hasher */
  public static MessageDigest sha256() {
    return hasher("sha256");
  }

  /** @return the digest the hasher has computed so far, named by {@code algorithm} */
  public static Digest finish(MessageDigest hasher, String algorithm) {
    return new Digest(algorithm, HexFormat.of().formatHex(hasher.digest()));
  }

  /** @return the sha256 digest the SHA-256 hasher has computed so far */
  public static Digest finishSha256(MessageDigest hasher) {
    return finish(hasher, "sha256");
  }

  /** @return the digest of {@code content} with {@code algorithm} */
  public static Digest of(String algorithm, byte[] content) {
    MessageDigest hasher = hasher(algorithm);
    hasher.update(content);
    return finish(hasher, algorithm);
  }

  /** @return the sha256 digest of {@code content} */
  public static Digest sha256(byte[] content) {
    return of("sha256", content);
  }

  /** @return the sha256 digest of {@code text} in UTF-8 */
  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the SHA-256 of {@code content} as lower-case hex */
  public static String sha256Hex(byte[] content) {
    return sha256(content).hex();
  }

  /** @return the SHA-256 of {@code text} in UTF-8 as lower-case hex */
  public static String sha256Hex(String text) {
    return sha256(text).hex();
  }
}
