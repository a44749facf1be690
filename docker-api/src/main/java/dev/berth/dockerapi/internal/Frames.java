package dev.berth.dockerapi.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Docker's multiplexed stream: each write is a frame with an 8-byte header (stream 0 stdin, 1
 * stdout, 2 stderr; three zero bytes; the payload's length, big-endian). With a terminal there
 * is one stream and no framing.
 */
public final class Frames {
  public static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";
  public static final String RAW = "application/vnd.docker.raw-stream";

  private Frames() {}

  /** @return an output stream that frames what is written to it as {@code stream} */
  public static OutputStream framing(OutputStream out, int stream) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return;
        }
        byte[] frame = new byte[8 + len];
        frame[0] = (byte) stream;
        frame[4] = (byte) (len >>> 24);
        frame[5] = (byte) (len >>> 16);
        frame[6] = (byte) (len >>> 8);
        frame[7] = (byte) len;
        System.arraycopy(b, off, frame, 8, len);
        synchronized (out) {
          out.write(frame);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    };
  }

  /** @return a stream that writes {@code out} unframed but never concurrently with another */
  public static OutputStream raw(OutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (out) {
          out.write(b, off, len);
        }
      }
    };
  }
}
