package dev.berth.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies an HTTP/1.1 body from one connection to another, decoding its framing (Content-Length,
 * chunked, or until close) and writing it with Content-Length or chunked framing, so the
 * {@link FaultProxy} can change body bytes or stop part-way.
 */
final class BodyCopier {
  /** Changes body bytes as they pass; {@code offset} is the position of {@code buf[0]} in the body. */
  interface Tamper {
    Tamper NONE = (buf, len, offset) -> { };

    void apply(byte[] buf, int len, long offset);
  }

  /** Thrown when the copy stopped on purpose after a byte limit; the caller must drop the connection. */
  static final class Truncated extends IOException {
    Truncated(long bytes) {
      super("body cut after " + bytes + " bytes");
    }
  }

  private BodyCopier() {}

  /**
   * Copies a body framed by {@code length} (-1: until end of stream) or chunked, writing chunked
   * when {@code chunkedOut}, stopping with {@link Truncated} after {@code limit} bytes (-1: none).
   */
  static void copy(InputStream in, OutputStream out, boolean chunkedIn, long length, boolean chunkedOut,
      Tamper tamper, long limit) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long offset = 0;
    while (true) {
      long available = chunkedIn ? nextChunkSize(in) : length < 0 ? Long.MAX_VALUE : length - offset;
      if (available == 0) {
        break;
      }
      long chunkEnd = available == Long.MAX_VALUE ? Long.MAX_VALUE : offset + available;
      while (offset < chunkEnd) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, chunkEnd - offset));
        if (n < 0) {
          if (length < 0 && !chunkedIn) {
            chunkEnd = offset; // a close-delimited body ends here
            break;
          }
          throw new EOFException("body ended after " + offset + " bytes");
        }
        tamper.apply(buf, n, offset);
        int keep = limit >= 0 && offset + n > limit ? (int) (limit - offset) : n;
        writeData(out, buf, keep, chunkedOut);
        offset += keep;
        if (keep < n) {
          out.flush();
          throw new Truncated(offset);
        }
      }
      if (chunkedIn) {
        HttpHead.readLine(in); // the CRLF after chunk data
      } else {
        break;
      }
    }
    if (chunkedIn) {
      skipTrailers(in);
    }
    if (chunkedOut) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
  }

  private static void writeData(OutputStream out, byte[] buf, int len, boolean chunked) throws IOException {
    if (len <= 0) {
      return;
    }
    if (chunked) {
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    out.write(buf, 0, len);
    if (chunked) {
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static long nextChunkSize(InputStream in) throws IOException {
    String line = HttpHead.readLine(in);
    if (line == null) {
      throw new EOFException("chunked body ended without its last chunk");
    }
    int semicolon = line.indexOf(';');
    return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
  }

  private static void skipTrailers(InputStream in) throws IOException {
    for (String line = HttpHead.readLine(in); line != null && !line.isEmpty(); line = HttpHead.readLine(in)) {
      // trailers are dropped: the registry sends none that matter
    }
  }
}
