package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.internal.util.Hashes;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and, at the end of the stream, checks the digest and size the
 * content was named by. A mismatch is thrown from {@code read}, so whoever consumes the stream
 * (a blob sink writing a temp file) fails before it commits anything.
 *
 * <p>{@link #close()} leaves the underlying stream open: the owner closes it.
 */
public final class VerifiedStream extends FilterInputStream {
  private final Digest expected;
  private final long expectedSize;
  private final String what;
  private final String advice;
  private final MessageDigest hasher;
  private long count;
  private boolean verified;

  /**
   * @param expectedSize the size in bytes, or -1 when unknown
   * @param what names the content in errors, e.g. {@code blob sha256:… in archive /tmp/x.tar}
   * @param advice what to do when it does not verify
   */
  public VerifiedStream(InputStream in, Digest expected, long expectedSize, String what,
      String advice) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.what = what;
    this.advice = advice;
    this.hasher = Hashes.hasher(expected.algorithm());
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      verify();
    } else {
      hasher.update((byte) b);
      counted(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = in.read(buf, off, len);
    if (n < 0) {
      verify();
    } else {
      hasher.update(buf, off, n);
      counted(n);
    }
    return n;
  }

  /** Skipping still has to hash the skipped bytes. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(n, 8192)];
    int read = n <= 0 ? -1 : read(buf, 0, buf.length);
    return Math.max(read, 0);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // the owner closes the underlying stream
  }

  /** Reads whatever the consumer left unread, then verifies. */
  void finish() throws IOException {
    byte[] buf = new byte[8192];
    while (read(buf, 0, buf.length) >= 0) {
      // drain
    }
  }

  private void counted(int n) {
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw sizeMismatch("longer than");
    }
  }

  private void verify() {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && count != expectedSize) {
      throw sizeMismatch("shorter than");
    }
    Digest actual = Hashes.finish(hasher, expected.algorithm());
    if (!actual.equals(expected)) {
      throw new DigestMismatchException(what, expected.toString(), actual.toString(), advice);
    }
    verified = true;
  }

  private BerthException sizeMismatch(String how) {
    return new BerthException(what + " is " + how + " the " + expectedSize
        + " bytes its descriptor gives (read " + count + " so far); " + advice);
  }
}
