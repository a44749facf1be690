package dev.berth.internal.build;

import dev.berth.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 for the build's digests and cache keys. */
final class Hashing {
  private Hashing() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static Digest sha256(byte[] bytes) {
    return finish(sha256().digest(bytes));
  }

  static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  static Digest finish(byte[] hash) {
    return Digest.sha256(HexFormat.of().formatHex(hash));
  }
}
