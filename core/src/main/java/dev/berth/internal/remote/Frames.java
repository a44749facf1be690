package dev.berth.internal.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;

/**
 * Docker's multiplexed stream (logs, attach and exec without a terminal): frames of an 8-byte
 * header (stream 1 stdout or 2 stderr, three zero bytes, the length big-endian) then the
 * payload. With a terminal the stream is raw bytes, all stdout.
 *
 * @param in the stream
 * @param raw true when there are no frame headers (a terminal)
 */
record Frames(InputStream in, boolean raw) {
  static final int STDOUT = 1;
  static final int STDERR = 2;

  /** One frame: its stream (1 or 2) and payload. */
  record Frame(int stream, byte[] payload) {}

  /** @return the next frame, or null at the end */
  Frame next() throws IOException {
    if (raw) {
      byte[] buf = new byte[8192];
      int n = in.read(buf);
      return n == -1 ? null : new Frame(STDOUT, java.util.Arrays.copyOf(buf, n));
    }
    byte[] header = in.readNBytes(8);
    if (header.length < 8) {
      return null;
    }
    int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16)
        | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
    byte[] payload = in.readNBytes(length);
    int stream = header[0] == STDERR ? STDERR : STDOUT;
    return new Frame(stream, payload);
  }

  /** @return both streams' bytes in the order they came */
  byte[] readAll() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (in) {
      for (Frame f = next(); f != null; f = next()) {
        out.write(f.payload());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Two streams fed from this one by a thread of {@code threads}, until it ends. */
  record Split(InputStream stdout, InputStream stderr) {}

  Split split(Executor threads, Runnable atEnd) {
    try {
      PipedInputStream out = new PipedInputStream(1 << 16);
      PipedInputStream err = new PipedInputStream(1 << 16);
      OutputStream toOut = new PipedOutputStream(out);
      OutputStream toErr = new PipedOutputStream(err);
      threads.execute(() -> {
        try (in; toOut; toErr) {
          for (Frame f = next(); f != null; f = next()) {
            (f.stream() == STDERR ? toErr : toOut).write(f.payload());
            (f.stream() == STDERR ? toErr : toOut).flush();
          }
        } catch (IOException e) {
          // the connection closed (container removed, engine gone): the streams end here
        } finally {
          atEnd.run();
        }
      });
      return new Split(out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
