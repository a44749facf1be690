package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.PortMapping;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A started container, or a process exec'd into one, seen through its monitor (the helper): the
 * monitor's streams are the process's, and its state file has the exit code once it is gone.
 * With a terminal, stdout carries everything the terminal shows (stderr stays empty) and stdin
 * takes raw keys: {@code \u0003} interrupts the foreground job, {@code \u0004} ends a line of input.
 */
public final class LaunchedContainer implements ExecProcess {
  private final long hostPid;
  private final Process monitor;
  private final ContainerFiles files;
  private final List<PortMapping> ports;

  LaunchedContainer(long hostPid, Process monitor, ContainerFiles files, List<PortMapping> ports) {
    this.hostPid = hostPid;
    this.monitor = monitor;
    this.files = files;
    this.ports = List.copyOf(ports);
  }

  /** @return the published ports with the host ports really bound (a requested 0 became a free port) */
  public List<PortMapping> ports() { return ports; }

  /** @return the pid of the container's init as the host sees it */
  public long hostPid() { return hostPid; }

  /** @return the monitor process; destroying it sends SIGTERM on to the container */
  public Process monitor() { return monitor; }

  @Override
  public InputStream stdout() { return monitor.getInputStream(); }
  @Override
  public InputStream stderr() { return monitor.getErrorStream(); }
  /** Reaches the container only when the spec had stdinOpen. */
  @Override
  public OutputStream stdin() { return monitor.getOutputStream(); }

  /** The monitor's exit code, which is the exec'd process's. */
  @Override
  public int exitValue() {
    if (monitor.isAlive()) {
      throw new IllegalThreadStateException("the exec'd process is still running");
    }
    return monitor.exitValue();
  }

  public ContainerFiles files() { return files; }

  /**
   * Changes the terminal's window size; the process gets SIGWINCH.
   *
   * @throws IllegalArgumentException when rows or cols are not 1 to 65535
   * @throws BerthException when the process has no terminal or has ended
   */
  @Override
  public void resize(int rows, int cols) {
    TtySize size = new TtySize(rows, cols);
    ControlSocket.send(files.controlSocket(), monitor.pid(), "resize " + size.rows() + " " + size.cols());
  }

  /**
   * Sends a signal to the process (through its monitor, so never to a reused pid).
   *
   * @throws IllegalArgumentException when signal is not 1 to 64
   * @throws BerthException when the process has ended
   */
  public void signal(int signal) {
    if (signal < 1 || signal > 64) throw new IllegalArgumentException("signal " + signal + " must be 1 to 64");
    ControlSocket.send(files.controlSocket(), monitor.pid(), "signal " + signal);
  }

  /** @return the container's exit code (128+signal when a signal ended it) */
  @Override
  public int waitFor() throws InterruptedException {
    monitor.waitFor();
    return exitCode();
  }

  /** @return the exit code, or -1 when the container still runs after the timeout */
  @Override
  public int waitFor(Duration timeout) throws InterruptedException {
    return monitor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? exitCode() : -1;
  }

  /** The state file the monitor wrote; it outlives this JVM. */
  public ContainerState state() {
    return ContainerState.read(files.state())
        .orElseThrow(() -> new BerthException("The container's monitor wrote no state in " + files.dir()));
  }

  private int exitCode() {
    ContainerState s = state();
    if (!s.exited() || s.exitCode() == null) {
      throw new BerthException("The container's monitor ended (exit " + monitor.exitValue()
          + ") without recording an exit in " + files.state() + "; was it killed?");
    }
    return s.exitCode();
  }
}
