package dev.berth;

/**
 * Content did not hash to the digest that named it: a corrupted download, a tampering proxy, or a
 * registry serving the wrong blob. Nothing of that content was kept.
 */
public final class DigestMismatchException extends BerthException {
  private static final long serialVersionUID = 1L;
  /** The digest the content was expected to have. */
  private final String expected;
  /** The digest the content has. */
  private final String actual;

  /**
   * @param what what was being verified, e.g. {@code blob sha256:ab… of docker.io/library/node}
   * @param expected the digest that was asked for
   * @param actual the digest of the bytes received
   */
  public DigestMismatchException(String what, String expected, String actual) {
    this(what, expected, actual, "the download was discarded, pull again (if it repeats, the"
        + " registry or a proxy is serving altered content)");
  }

  /**
   * @param what what was being verified, e.g. {@code blob sha256:ab… in archive /tmp/node.tar}
   * @param expected the digest that was asked for
   * @param actual the digest of the bytes received
   * @param advice what to do about it, e.g. {@code save the archive again from its source}
   */
  public DigestMismatchException(String what, String expected, String actual, String advice) {
    super(what + ": expected digest " + expected + " but the content hashes to " + actual
        + "; " + advice);
    this.expected = expected;
    this.actual = actual;
  }

  /** @return the digest that was asked for */
  public String expected() {
    return expected;
  }

  /** @return the digest of the content received */
  public String actual() {
    return actual;
  }
}
