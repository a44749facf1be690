package dev.berth.internal.registry;

import dev.berth.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests of content, by the algorithm a {@link Digest} names. */
final class Hashing {
  private Hashing() {}

  static MessageDigest newDigest(Digest d) {
    return newDigest(d.algorithm());
  }

  static Digest sha256(byte[] bytes) {
    return Digest.sha256(HexFormat.of().formatHex(newDigest("sha256").digest(bytes)));
  }

  static Digest of(String algorithm, byte[] bytes) {
    return new Digest(algorithm, HexFormat.of().formatHex(newDigest(algorithm).digest(bytes)));
  }

  private static MessageDigest newDigest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM lacks " + algorithm, e);
    }
  }
}
