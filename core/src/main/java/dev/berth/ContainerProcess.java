package dev.berth;

import dev.berth.internal.runtime.ExecProcess;
import dev.berth.internal.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A process started in a running container by {@link Container#exec(ExecOptions)}, handled like
 * {@link Process}.
 */
public final class ContainerProcess {
  private final ExecProcess launched;

  ContainerProcess(ExecProcess launched) {
    this.launched = launched;
  }

  /** @return its stdout (its terminal with a tty) */
  public InputStream getInputStream() {
    return launched.stdout();
  }

  /** @return its stderr (empty with a tty) */
  public InputStream getErrorStream() {
    return launched.stderr();
  }

  /** @return its stdin, when started with {@code stdinOpen}; closing it sends end-of-file */
  public OutputStream getOutputStream() {
    return launched.stdin();
  }

  /**
   * @return its exit code, once it has exited
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public int waitFor() throws InterruptedException {
    return launched.waitFor();
  }

  /**
   * @param timeout how long to wait at most
   * @return true when it exited within {@code timeout}
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return launched.waitFor(timeout) != -1;
  }

  /**
   * @return its exit code
   * @throws IllegalThreadStateException while it runs
   */
  public int exitValue() {
    return launched.exitValue();
  }

  /**
   * Changes its terminal's window size.
   *
   * @param rows the terminal's height, in lines
   * @param cols the terminal's width, in columns
   * @throws BerthException when it has no terminal or has ended
   */
  public void resize(int rows, int cols) {
    launched.resize(rows, cols);
  }

  /** Reads stdout here and stderr on a thread of its own, then waits: the whole result. */
  ExecResult collect() throws InterruptedException {
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(
        () -> readAll(getErrorStream()), Threads.daemonPerTask("berth-exec-stderr"));
    byte[] out = readAll(getInputStream());
    int code = waitFor();
    return new ExecResult(code, new String(out, StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
