package dev.berth.internal.archive;

import dev.berth.Digest;
import dev.berth.UnsafeArchiveException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names inside an archive: normalised, never escaping the archive's root. */
final class ArchivePaths {
  /** {@code blobs/sha256/<hex>} (OCI, Docker 25+) or {@code <hex>.json} (a legacy docker config). */
  private static final Pattern DIGEST_NAMED =
      Pattern.compile("(?:blobs/(sha256|sha512)/([a-f0-9]+))|(?:([a-f0-9]{64})\\.json)");

  private ArchivePaths() {}

  /** @return where a blob lives in an OCI layout */
  static String blob(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }

  /**
   * @param name a path as an archive or its manifest gives it, e.g. {@code ./manifest.json}
   * @param archive the archive, named in the error
   * @return the path relative to the archive's root, without {@code .} segments or slashes at
   *     either end ({@code ""} for the root itself)
   * @throws UnsafeArchiveException when the path is absolute or leaves the root with {@code ..}
   */
  static String normalise(String name, String archive) {
    if (name.startsWith("/")) {
      throw unsafe(name, archive, "is absolute");
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw unsafe(name, archive, "leaves the archive with '..'");
        }
        parts.removeLast();
      } else if (!part.isEmpty() && !part.equals(".")) {
        parts.addLast(part);
      }
    }
    return String.join("/", parts);
  }

  /** @return the directory part of a normalised path, {@code ""} at the root */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** @return the digest a path names by the formats' conventions, or {@code null} */
  static Digest digestNamedBy(String path) {
    Matcher m = DIGEST_NAMED.matcher(path);
    if (!m.matches()) {
      return null;
    }
    try {
      return m.group(3) != null ? Digest.sha256(m.group(3)) : new Digest(m.group(1), m.group(2));
    } catch (IllegalArgumentException e) {
      return null; // wrong length for the algorithm: not a digest name after all
    }
  }

  private static UnsafeArchiveException unsafe(String name, String archive, String what) {
    return new UnsafeArchiveException("archive " + archive + " names '" + name + "', which "
        + what + ": refusing the archive; image archives only hold paths inside themselves");
  }
}
