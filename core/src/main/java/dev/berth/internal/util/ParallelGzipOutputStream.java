package dev.berth.internal.util;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several threads, as pigz does: the input is cut into 128 KiB
 * blocks, each deflated on a pool thread with the 32 KiB before it as preset dictionary and
 * ended with a sync flush, so the raw deflate streams join into one ordinary gzip member that
 * any gunzip reads. The CRC and length are computed on the writing thread, which also writes the
 * blocks out in order. The bytes depend only on the input and the level, never on the number of
 * threads or their timing: a layer compressed twice gives the same digest.
 *
 * <p>What is in flight is bounded (a few blocks per thread). Not thread-safe: one writer.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK = 128 << 10;
  private static final int DICTIONARY = 32 << 10;
  private static final int THREADS = Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  private static final ExecutorService POOL = pool();
  /** Each pool thread's deflaters, one per level (a level is never changed on a deflater). */
  private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0};

  private final OutputStream out;
  private final int level;
  private final CRC32 crc = new CRC32();
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private byte[] dictionary;
  private long length;
  private boolean closed;

  /**
   * @param out where the gzip bytes go; closed by {@link #close()}
   * @param level the deflate level, {@link Deflater#BEST_SPEED} to {@link Deflater#BEST_COMPRESSION}
   */
  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    if (level < Deflater.BEST_SPEED || level > Deflater.BEST_COMPRESSION) {
      throw new IllegalArgumentException("gzip level must be 1 to 9, not " + level);
    }
    this.out = out;
    this.level = level;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("the gzip stream is closed");
    }
    crc.update(b, off, len);
    length += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK) {
        submit(false);
      }
    }
  }

  /** Hands the filled block to the pool; writes finished blocks out while too many wait. */
  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int size = filled;
    byte[] dict = dictionary;
    pending.add(POOL.submit(() -> deflate(input, size, dict, level, last)));
    dictionary = size >= DICTIONARY ? Arrays.copyOfRange(input, size - DICTIONARY, size) : null;
    block = new byte[BLOCK];
    filled = 0;
    while (pending.size() > 2 * THREADS) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    Future<byte[]> f = pending.remove();
    try {
      out.write(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.forEach(p -> p.cancel(true));
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      pending.forEach(p -> p.cancel(true));
      throw new IOException("gzip compression failed: " + e.getCause(), e.getCause());
    }
  }

  private static byte[] deflate(byte[] input, int size, byte[] dict, int level, boolean last) {
    Deflater[] mine = DEFLATERS.get();
    if (mine[level] == null) {
      mine[level] = new Deflater(level, true); // raw deflate: the gzip header and trailer are ours
    }
    Deflater d = mine[level];
    d.reset();
    if (dict != null) {
      d.setDictionary(dict);
    }
    d.setInput(input, 0, size);
    byte[] buf = new byte[size + size / 8 + 64];
    int n = 0;
    if (last) {
      d.finish();
      while (!d.finished()) {
        buf = n == buf.length ? Arrays.copyOf(buf, buf.length * 2) : buf;
        n += d.deflate(buf, n, buf.length - n);
      }
    } else {
      // a sync flush is complete when deflate leaves part of the space it was given unused
      while (true) {
        buf = n == buf.length ? Arrays.copyOf(buf, buf.length * 2) : buf;
        int space = buf.length - n;
        int got = d.deflate(buf, n, space, Deflater.SYNC_FLUSH);
        n += got;
        if (got < space) {
          break;
        }
      }
    }
    return Arrays.copyOf(buf, n);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** Compresses what is left, writes every block and the trailer, closes the target. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      submit(true);
      while (!pending.isEmpty()) {
        writeOldest();
      }
      byte[] trailer = new byte[8];
      putIntLe(trailer, 0, (int) crc.getValue());
      putIntLe(trailer, 4, (int) length);
      out.write(trailer);
    }
  }

  private static void putIntLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static ExecutorService pool() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "berth-gzip-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }
}
