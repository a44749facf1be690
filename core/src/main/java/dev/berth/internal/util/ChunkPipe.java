package dev.berth.internal.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Bytes handed from one thread to another in bounded chunks: a download writes, an unpack reads
 * as the bytes arrive. Unlike {@link java.io.PipedInputStream} it takes whole chunks (no
 * byte-at-a-time locking), carries the writer's failure to the reader as the cause of its
 * {@link IOException}, and a reader that stops early never blocks the writer: what comes after
 * is dropped, so a download can still run to its end and verify its digest.
 *
 * <pre>{@code
 * ChunkPipe pipe = new ChunkPipe(128);
 * // writer thread: pipe.output().write(...); then pipe.output().close() or pipe.fail(e)
 * // reader thread: pipe.input().read(...)
 * }</pre>
 */
public final class ChunkPipe {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue;
  private final Output output = new Output();
  private final Input input = new Input();
  private volatile boolean readerGone;
  private volatile Throwable failure;

  /** @param chunks how many written chunks may wait for the reader before the writer blocks */
  public ChunkPipe(int chunks) {
    if (chunks < 2) {
      throw new IllegalArgumentException("a pipe needs room for at least 2 chunks, not " + chunks);
    }
    this.queue = new ArrayBlockingQueue<>(chunks);
  }

  /** @return the writing side; closing it ends the stream for the reader */
  public OutputStream output() {
    return output;
  }

  /** @return the reading side; closing it tells the writer to drop what it writes from then on */
  public InputStream input() {
    return input;
  }

  /** Ends the stream with a failure: the reader's next read throws an IOException caused by it. */
  public void fail(Throwable cause) {
    failure = cause;
    offerEnd();
  }

  /** @return whether the reader closed its side (the writer may stop producing) */
  public boolean readerGone() {
    return readerGone;
  }

  /**
   * Reads {@code source} to its end on a new daemon thread, {@code chunkSize} bytes at a time,
   * and returns the stream of what it read: the work that makes the bytes (inflating, hashing)
   * runs beside the reader's. The thread closes {@code source} when done; it stops early when
   * the returned stream is closed. A failure reaches the reader as the cause of its IOException.
   */
  public static InputStream readAhead(InputStream source, String threadName, int chunks,
      int chunkSize) {
    ChunkPipe pipe = new ChunkPipe(chunks);
    Thread t = new Thread(() -> {
      try (source) {
        byte[] buf = new byte[chunkSize];
        for (int n = source.readNBytes(buf, 0, chunkSize); n > 0 && !pipe.readerGone();
            n = source.readNBytes(buf, 0, chunkSize)) {
          pipe.output.write(buf, 0, n);
        }
        pipe.output.close();
      } catch (IOException | RuntimeException | Error e) {
        pipe.fail(e);
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    return pipe.input;
  }

  private void offerEnd() {
    if (!queue.offer(END)) {
      // full: the reader is behind; make room, since an end outranks the data it would drop
      queue.clear();
      queue.offer(END);
    }
  }

  private final class Output extends OutputStream {
    private boolean closed;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("the pipe's writing side is closed");
      }
      if (len == 0 || readerGone) {
        return;
      }
      byte[] chunk = new byte[len];
      System.arraycopy(b, off, chunk, 0, len);
      try {
        queue.put(chunk);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while handing bytes to the reader");
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        try {
          queue.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while ending the pipe");
        }
      }
    }
  }

  private final class Input extends InputStream {
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos == chunk.length && !next()) {
        return -1;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return chunk.length - pos;
    }

    /** @return false at the end of the stream */
    private boolean next() throws IOException {
      if (readerGone) {
        throw new IOException("the pipe's reading side is closed");
      }
      if (ended) {
        return false;
      }
      byte[] c;
      try {
        c = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for bytes");
      }
      if (c == END) {
        ended = true;
        Throwable f = failure;
        if (f != null) {
          throw new IOException(f.getMessage(), f);
        }
        return false;
      }
      chunk = c;
      pos = 0;
      return true;
    }

    @Override
    public void close() {
      readerGone = true;
      queue.clear(); // a writer blocked on a full queue goes on, and drops from then on
    }
  }
}
