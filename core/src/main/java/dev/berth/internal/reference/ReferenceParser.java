package dev.berth.internal.reference;

import dev.berth.Digest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses and normalises image references by the distribution reference grammar, the way Docker
 * does ({@code ParseNormalizedNamed}):
 *
 * <pre>
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [ host [ ":" port ] "/" ] path
 * host       := domain-component ( "." domain-component )* | "[" ipv6 "]"
 * path       := path-component ( "/" path-component )*
 * path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 * tag        := [\w][\w.-]{0,127}
 * </pre>
 *
 * <p>The first component is a registry host only when something follows it after a {@code /} and
 * it contains {@code .} or {@code :}, is {@code localhost}, or has upper case (Docker's rule: a
 * repository may not, so it must be a host). Otherwise the registry is {@code docker.io}, and a
 * single-component Docker Hub path gets {@code library/}. {@code index.docker.io} is Docker Hub's
 * legacy name and becomes {@code docker.io}; {@code registry-1.docker.io} is kept as written, as
 * Docker does.
 *
 * <p>A hand-written scanner rather than the grammar's regular expression, so that every error can
 * say what is wrong at which position.
 */
public final class ReferenceParser {
  /** Docker Hub's canonical registry name. */
  public static final String DOCKER_HUB = "docker.io";
  private static final String LEGACY_DOCKER_HUB = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";
  private static final String LOCALHOST = "localhost";
  private static final int MAX_PATH_LENGTH = 255;
  private static final int MAX_TAG_LENGTH = 128;
  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

  private final String input;

  /**
   * A reference's parts, normalised; {@code ImageRef.parse} makes its record of them (so this
   * parser does not depend on the public type that calls it).
   *
   * @param registry the registry host
   * @param repository the path in the registry
   * @param tag the tag, or null
   * @param digest the digest, or null
   */
  public record Parts(String registry, String repository, String tag, Digest digest) {}

  private ReferenceParser(String input) {
    this.input = input;
  }

  /**
   * Parses and normalises {@code reference}: {@code node} is {@code docker.io/library/node:latest}.
   *
   * @throws IllegalArgumentException quoting the input and saying what is wrong at which position
   */
  public static Parts parse(String reference) {
    if (reference == null) {
      throw new IllegalArgumentException(
          "invalid reference null: give an image reference such as node or ghcr.io/owner/app:1.0");
    }
    return new ReferenceParser(reference).parse();
  }

  private Parts parse() {
    if (input.isEmpty()) {
      throw fail("repository name must have at least one component", 0);
    }
    if (IMAGE_ID.matcher(input).matches()) {
      throw fail("a 64-hex-digit string is an image id, not a repository name", 0);
    }
    int at = input.indexOf('@');
    int nameEnd = at < 0 ? input.length() : at;
    Digest digest = at < 0 ? null : digest(at + 1);
    int slash = input.indexOf('/');
    boolean hasHost = slash >= 0 && slash < nameEnd && isHost(input.substring(0, slash));
    String registry = hasHost ? host(slash) : DOCKER_HUB;
    int pathStart = hasHost ? slash + 1 : 0;
    int colon = input.indexOf(':', pathStart);
    int pathEnd = colon >= 0 && colon < nameEnd ? colon : nameEnd;
    String path = path(pathStart, pathEnd);
    if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
      path = OFFICIAL_PREFIX + path;
    }
    if (path.length() > MAX_PATH_LENGTH) {
      throw fail("repository name must not be more than " + MAX_PATH_LENGTH
          + " characters, it has " + path.length(), pathStart);
    }
    String tag = pathEnd < nameEnd ? tag(pathEnd + 1, nameEnd) : null;
    return new Parts(registry, path, tag, digest);
  }

  private static boolean isHost(String first) {
    return first.equals(LOCALHOST)
        || first.indexOf('.') >= 0
        || first.indexOf(':') >= 0
        || !first.equals(first.toLowerCase(Locale.ROOT));
  }

  /** Checks {@code input[0, end)} as host[:port] and returns it, with Docker Hub canonicalised. */
  private String host(int end) {
    int i = input.charAt(0) == '[' ? ipv6(end) : domainName(end);
    if (i < end && input.charAt(i) == ':') {
      int portStart = ++i;
      while (i < end && isDigit(input.charAt(i))) {
        i++;
      }
      if (i == portStart) {
        throw fail("registry port must be a number", portStart);
      }
    }
    if (i < end) {
      throw fail("unexpected character '" + input.charAt(i) + "' in registry host", i);
    }
    String host = input.substring(0, end);
    return host.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB : host;
  }

  private int ipv6(int end) {
    int i = 1;
    while (i < end && (isHexDigit(input.charAt(i)) || input.charAt(i) == ':')) {
      i++;
    }
    if (i == 1 || i >= end || input.charAt(i) != ']') {
      throw fail("an IPv6 registry address holds hex digits and ':' between '[' and ']'", i);
    }
    return i + 1;
  }

  private int domainName(int end) {
    int i = 0;
    while (true) {
      int start = i;
      while (i < end && (isAsciiLetterOrDigit(input.charAt(i)) || input.charAt(i) == '-')) {
        i++;
      }
      if (i == start || input.charAt(start) == '-' || input.charAt(i - 1) == '-') {
        throw fail("registry host components must start and end with a letter or digit",
            i == start || input.charAt(start) == '-' ? start : i - 1);
      }
      if (i >= end || input.charAt(i) != '.') {
        return i;
      }
      i++;
    }
  }

  /** Checks {@code input[start, end)} as a repository path and returns it. */
  private String path(int start, int end) {
    int i = start;
    while (true) {
      i = pathComponent(i, end);
      if (i == end) {
        return input.substring(start, end);
      }
      if (input.charAt(i) != '/') {
        throw unexpectedInPath(i);
      }
      i++;
    }
  }

  private int pathComponent(int start, int end) {
    if (start == end || input.charAt(start) == '/') {
      throw fail("repository path component must not be empty", start);
    }
    int i = lowerAlnumRun(start, end, "repository path components must start with a lower-case "
        + "letter or digit");
    while (i < end && isSeparator(input.charAt(i))) {
      int separator = i;
      i = afterSeparator(i, end);
      i = lowerAlnumRun(i, end, "separator '" + input.substring(separator, i)
          + "' in repository name must be followed by a lower-case letter or digit");
    }
    return i;
  }

  private int afterSeparator(int i, int end) {
    char c = input.charAt(i);
    if (c == '.') {
      return i + 1;
    }
    if (c == '_') {
      return i + 1 < end && input.charAt(i + 1) == '_' ? i + 2 : i + 1;
    }
    while (i < end && input.charAt(i) == '-') {
      i++;
    }
    return i;
  }

  private int lowerAlnumRun(int start, int end, String whatIsExpected) {
    int i = start;
    while (i < end && isLowerAlnum(input.charAt(i))) {
      i++;
    }
    if (i == start) {
      boolean odd = i < end && !isSeparator(input.charAt(i)) && input.charAt(i) != '/';
      throw odd ? unexpectedInPath(i) : fail(whatIsExpected, i);
    }
    return i;
  }

  private IllegalArgumentException unexpectedInPath(int i) {
    char c = input.charAt(i);
    return isUpper(c)
        ? fail("repository name must be lowercase", i)
        : fail("unexpected character '" + c + "' in repository name: use lower-case letters and "
            + "digits, separated by '.', '_', '__', '-' or '/'", i);
  }

  private String tag(int start, int end) {
    if (start == end) {
      throw fail("tag must not be empty after ':'", start);
    }
    if (!isWordChar(input.charAt(start))) {
      throw fail("tag must start with a letter, digit or '_'", start);
    }
    for (int i = start + 1; i < end; i++) {
      char c = input.charAt(i);
      if (!isWordChar(c) && c != '.' && c != '-') {
        throw fail("unexpected character '" + c + "' in tag: use letters, digits, '_', '.' and '-'",
            i);
      }
    }
    if (end - start > MAX_TAG_LENGTH) {
      throw fail("tag must not be more than " + MAX_TAG_LENGTH + " characters, it has "
          + (end - start), start);
    }
    return input.substring(start, end);
  }

  private Digest digest(int start) {
    try {
      return Digest.parse(input.substring(start));
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage(), start);
    }
  }

  private IllegalArgumentException fail(String what, int position) {
    return new IllegalArgumentException(
        "invalid reference \"" + input + "\": " + what + " (position " + position + ")");
  }

  private static boolean isSeparator(char c) {
    return c == '.' || c == '_' || c == '-';
  }

  private static boolean isLowerAlnum(char c) {
    return (c >= 'a' && c <= 'z') || isDigit(c);
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return isLowerAlnum(c) || isUpper(c);
  }

  private static boolean isWordChar(char c) {
    return isAsciiLetterOrDigit(c) || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
