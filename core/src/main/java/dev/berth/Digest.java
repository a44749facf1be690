package dev.berth;

import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0…}: the name of a blob, layer, manifest or image.
 *
 * <pre>{@code
 * Digest d = Digest.parse("sha256:" + "ab".repeat(32));
 * d.hex();        // "abab…"
 * d.shortHex();   // first 12 hex digits, as Docker shows image ids
 * }</pre>
 *
 * @param algorithm {@code sha256} or {@code sha512}
 * @param hex the lower-case hex encoding of the hash
 */
public record Digest(String algorithm, String hex) {
  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  /**
   * @param algorithm {@code sha256} or {@code sha512}
   * @param hex the lower-case hex digits
   * @throws IllegalArgumentException when the algorithm is unknown or the hex is malformed
   */
  public Digest {
    int len;
    if ("sha256".equals(algorithm)) {
      len = 64;
    } else if ("sha512".equals(algorithm)) {
      len = 128;
    } else {
      throw new IllegalArgumentException(
          "unsupported digest algorithm '" + algorithm + "': use sha256 or sha512");
    }
    if (hex == null || hex.length() != len || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("invalid " + algorithm + " digest '" + hex
          + "': expected " + len + " lower-case hex digits");
    }
  }

  /**
   * Parses {@code algorithm:hex}.
   *
   * @param s e.g. {@code sha256:9f86d0…}
   * @return the digest
   * @throws IllegalArgumentException naming the input and what is wrong with it
   */
  public static Digest parse(String s) {
    int colon = s == null ? -1 : s.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException(
          "invalid digest '" + s + "': expected algorithm:hex, e.g. sha256:<64 hex digits>");
    }
    return new Digest(s.substring(0, colon), s.substring(colon + 1));
  }

  /**
   * @param hex 64 lower-case hex digits
   * @return a sha256 digest of the given 64 hex digits
   */
  public static Digest sha256(String hex) {
    return new Digest("sha256", hex);
  }

  /** @return the first 12 hex digits, as Docker shows image and container ids */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }

  // Written out, not the record's own: those are made at first use by an invokedynamic bootstrap
  // (java.lang.runtime.ObjectMethods), ~13 ms of a cold JVM, and digests key the store's maps.
  @Override
  public final boolean equals(Object o) {
    return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
  }

  @Override
  public final int hashCode() {
    return 31 * algorithm.hashCode() + hex.hashCode();
  }
}
