package dev.berth.dockerapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A request body (or, after a hijack, the client's raw stream) as a blocking stream: the event
 * loop offers chunks, a worker thread reads them. It pauses the connection's reads while a few
 * chunks wait, so a large upload never piles up in memory.
 */
final class BodyStream extends InputStream {
  /** Chunks that may wait before the channel stops reading. */
  private static final int HIGH_WATER = 16;

  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private final Runnable pause;
  private final Runnable resume;
  private byte[] current;
  private int pos;
  private boolean ended;
  private boolean paused;
  private long limit = Long.MAX_VALUE;
  private long total;
  private String limitMessage;

  BodyStream(Runnable pause, Runnable resume) {
    this.pause = pause;
    this.resume = resume;
  }

  /** Bodies bigger than {@code bytes} fail the read with {@code message} (a 413-style bound). */
  synchronized void limit(long bytes, String message) {
    this.limit = bytes;
    this.limitMessage = message;
  }

  /** From the event loop: more bytes arrived. */
  synchronized void offer(byte[] chunk) {
    if (ended || chunk.length == 0) {
      return;
    }
    chunks.add(chunk);
    if (chunks.size() >= HIGH_WATER && !paused) {
      paused = true;
      pause.run();
    }
    notifyAll();
  }

  /** From the event loop: the body (or the connection) ended. */
  synchronized void end() {
    ended = true;
    notifyAll();
  }

  synchronized boolean ended() {
    return ended && chunks.isEmpty() && (current == null || pos == current.length);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (current == null || pos == current.length) {
      current = chunks.poll();
      pos = 0;
      if (paused && chunks.size() < HIGH_WATER / 2) {
        paused = false;
        resume.run();
      }
      if (current != null) {
        break;
      }
      if (ended) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("reading the request body was interrupted");
      }
    }
    int n = Math.min(len, current.length - pos);
    if (total + n > limit) {
      throw new BodyTooLargeException(limitMessage);
    }
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    total += n;
    return n;
  }

  @Override
  public synchronized int available() {
    return current == null ? 0 : current.length - pos;
  }

  /** A body over its bound: the request fails with 413 and nothing of it is used. */
  static final class BodyTooLargeException extends IOException {
    BodyTooLargeException(String message) {
      super(message);
    }
  }
}
