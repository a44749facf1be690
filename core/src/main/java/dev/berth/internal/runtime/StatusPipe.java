package dev.berth.internal.runtime;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.util.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * The helper's status line on a pipe of its own, as runc's init pipe: a FIFO the helper is given
 * with {@code --status} (status.c), so that its stdout carries the container's bytes only, from
 * the first.
 *
 * <p>This end is opened for reading and writing before the helper starts: the open never waits
 * for the helper, and the pipe keeps what the helper said even when the helper is gone before the
 * line is read. When the helper ends without a line, a newline written here ends the read with an
 * empty status (the caller then reports the exit code and stderr).
 */
final class StatusPipe implements AutoCloseable {
  private static final int MODE = 0600;
  private final Path fifo;
  private final FileChannel channel;

  private StatusPipe(Path fifo, FileChannel channel) {
    this.fifo = fifo;
    this.channel = channel;
  }

  /** Makes the FIFO (replacing one a previous start left) and opens this end. */
  static StatusPipe create(Path fifo) throws IOException {
    Files.deleteIfExists(fifo);
    try {
      Syscalls.mknodat(Fcntl.AT_FDCWD, fifo.toString(), Fcntl.S_IFIFO | MODE, 0, 0);
    } catch (LinuxException e) {
      throw new IOException("cannot make the status pipe " + fifo + ": " + e.getMessage(), e);
    }
    return new StatusPipe(fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  Path path() {
    return fifo;
  }

  /**
   * The first line the helper says, without its newline, read on a daemon thread; "" when the
   * helper ended without a line. The pipe is closed and removed once the line is read.
   */
  CompletableFuture<String> firstLine(Process helper) {
    helper.onExit().thenRun(this::release);
    return CompletableFuture.supplyAsync(this::read, Threads.daemonPerTask("berth-helper-status"));
  }

  private String read() {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(4096); // the helper writes its line at once (under PIPE_BUF)
    try {
      while (channel.read(buf.clear()) > 0) {
        got.write(buf.array(), 0, buf.position());
        String said = got.toString(StandardCharsets.UTF_8);
        int nl = said.indexOf('\n');
        if (nl >= 0) return said.substring(0, nl);
      }
    } catch (IOException e) {
      // closed (a start that timed out): the status is what arrived
    } finally {
      close();
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  /**
   * The helper is gone: a newline lets a read still waiting go. This end is open until the read
   * ends and the path is removed before this end closes, so this open never waits for a reader.
   */
  private void release() {
    try (FileChannel w = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
      w.write(ByteBuffer.wrap(new byte[] {'\n'}));
    } catch (IOException readAlready) {
      // the pipe is gone: its line was read
    }
  }

  /** Removes the FIFO, then closes this end. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(fifo);
    } catch (IOException e) {
      // a later start replaces it
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing was written through it
    }
  }
}
