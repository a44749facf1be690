package dev.berth.internal.runtime;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * The helper's status line on a pipe of its own, as runc's init pipe: a FIFO the helper is given
 * with {@code --status} (status.c), so that its stdout carries the container's bytes only, from
 * the first.
 *
 * <p>This end is opened for reading and writing, non-blocking, before the helper starts: the open
 * never waits for the helper, and the pipe keeps what the helper said even when the helper is gone
 * before the line is read. The line is read on the starting thread with poll(2): no thread per
 * start, and no hop from a reader thread to the starter when the line comes.
 */
final class StatusPipe implements AutoCloseable {
  private static final int MODE = 0600;
  /** How often a read that waits looks whether the helper is still there, or the start interrupted. */
  private static final int SLICE_MS = 20;
  private final Path fifo;
  private final int fd;
  private boolean closed;

  private StatusPipe(Path fifo, int fd) {
    this.fifo = fifo;
    this.fd = fd;
  }

  /** Makes the FIFO (replacing one a previous start left) and opens this end. */
  static StatusPipe create(Path fifo) throws IOException {
    Files.deleteIfExists(fifo);
    try {
      Syscalls.mknodat(Fcntl.AT_FDCWD, fifo.toString(), Fcntl.S_IFIFO | MODE, 0, 0);
      return new StatusPipe(fifo, Syscalls.openat(Fcntl.AT_FDCWD, fifo.toString(),
          Fcntl.O_RDWR | Fcntl.O_NONBLOCK | Fcntl.O_CLOEXEC, 0));
    } catch (LinuxException e) {
      Files.deleteIfExists(fifo);
      throw new IOException("cannot make the status pipe " + fifo + ": " + e.getMessage(), e);
    }
  }

  Path path() {
    return fifo;
  }

  /**
   * The first line the helper says, without its newline; what it said, or "", when it ended
   * without a line. The pipe is closed and removed once this returns or throws.
   *
   * @throws TimeoutException when the helper neither said a line nor ended within the timeout
   * @throws InterruptedException when this thread is interrupted while it waits
   */
  String firstLine(Process helper, Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[4096]; // the helper writes its line at once (under PIPE_BUF)
    try {
      boolean helperGone = false;
      while (true) {
        long left = deadline - System.nanoTime();
        if (!helperGone && left <= 0) throw new TimeoutException("no status line from the helper within " + timeout);
        if (Thread.interrupted()) throw new InterruptedException();
        // polled before it is read: a read of the empty pipe would fail (EAGAIN) with an exception
        int wait = helperGone ? 0 : (int) Math.min(SLICE_MS, Math.max(1, left / 1_000_000));
        int n = Syscalls.pollIn(fd, wait, fifo.toString()) ? Syscalls.read(fd, buf, fifo.toString()) : -1;
        if (n > 0) {
          got.write(buf, 0, n);
          String said = got.toString(StandardCharsets.UTF_8);
          int nl = said.indexOf('\n');
          if (nl >= 0) return said.substring(0, nl);
        } else if (helperGone) {
          return got.toString(StandardCharsets.UTF_8); // read once more after it went: nothing came
        } else {
          helperGone = !helper.isAlive();
        }
      }
    } finally {
      close();
    }
  }

  /** Removes the FIFO, then closes this end. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    try {
      Files.deleteIfExists(fifo);
    } catch (IOException e) {
      // a later start replaces it
    }
    Syscalls.closeQuietly(fd);
  }
}
