package dev.berth.internal.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A process in a container, as the public {@code ContainerProcess} sees it: one the local
 * runtime launched ({@link LaunchedContainer}) or one a remote engine runs.
 */
public interface ExecProcess {
  InputStream stdout();

  InputStream stderr();

  OutputStream stdin();

  /** @return its exit code, once it has exited */
  int waitFor() throws InterruptedException;

  /** @return the exit code, or -1 when it still runs after the timeout */
  int waitFor(Duration timeout) throws InterruptedException;

  /** @throws IllegalThreadStateException while it runs */
  int exitValue();

  void resize(int rows, int cols);
}
