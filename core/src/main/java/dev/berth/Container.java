package dev.berth;

import dev.berth.internal.engine.ContainerBackend;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A container: started by {@link Image#run(RunOptions)}, created by
 * {@link Berth#create(String, RunOptions)} and started with {@link #start()}, or found by
 * {@link Containers#get}.
 * Handled like {@link Process}: streams, {@link #waitFor()}, {@link #onExit()},
 * {@link #exitValue()}; plus Docker's stop, kill, remove, logs and inspect.
 *
 * <pre>{@code
 * try (Container c = Image.pull("busybox").run("sh", "-c", "echo hi; exit 3")) {
 *   String out = new String(c.getInputStream().readAllBytes());   // "hi\n"
 *   int code = c.waitFor();                                        // 3
 * }   // close() kills it if still running and removes it
 * }</pre>
 *
 * <p>The container does not depend on this JVM: its monitor process keeps it running, logs its
 * output and records its exit, so {@link Containers#list(boolean)} tells the truth from any
 * JVM. Streams are attached only on the handle that started a non-detached container; other
 * handles read output with {@link #logs()}.
 */
public final class Container implements AutoCloseable {
  private final ContainerBackend handle;

  private Container(ContainerBackend handle) {
    this.handle = handle;
  }

  static Container of(ContainerBackend handle) {
    return new Container(handle);
  }

  /** @return the 64-hex id */
  public String id() {
    return handle.id();
  }

  /** @return the name, generated Docker-style unless one was given */
  public String name() {
    return handle.name();
  }

  /** @return the container's stdout (its terminal with tty); empty when not attached */
  public InputStream getInputStream() {
    return handle.stdout();
  }

  /** @return the container's stderr; empty with a tty or when not attached */
  public InputStream getErrorStream() {
    return handle.stderr();
  }

  /**
   * @return the container's stdin, when it was started with {@code stdinOpen}; closing it sends
   *     end-of-file
   */
  public OutputStream getOutputStream() {
    return handle.stdin();
  }

  /**
   * Waits for the container's process to exit.
   *
   * @return its exit code (128 + signal when a signal ended it, e.g. 137 after SIGKILL)
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public int waitFor() throws InterruptedException {
    return handle.waitFor();
  }

  /**
   * @param timeout how long to wait at most
   * @return true when it exited within {@code timeout}
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return handle.waitFor(timeout);
  }

  /** @return a future completed with this container when its process exits */
  public CompletableFuture<Container> onExit() {
    return handle.onExit().thenApply(h -> this);
  }

  /**
   * @return the exit code
   * @throws IllegalThreadStateException when it is still running, as {@link Process#exitValue()}
   */
  public int exitValue() {
    return handle.exitValue();
  }

  /** @return true while its process runs */
  public boolean isAlive() {
    return handle.isAlive();
  }

  /**
   * Stops it as {@code docker stop}: SIGTERM, then SIGKILL when it has not exited within
   * {@code timeout}. Returns once it has exited; a stopped container stays listed.
   *
   * @param timeout how long the process has between SIGTERM and SIGKILL
   */
  public void stop(Duration timeout) {
    handle.stop(timeout);
  }

  /**
   * Starts it, as {@code docker start}: a created container for the first time, an exited one
   * again, with the same id, name, options and file system (what it wrote is kept); its log goes
   * on, and {@link #inspect()} shows the new start time, then the new exit. Not detached
   * ({@code RunOptions.detach(false)}), its process's streams become this object's
   * {@link #getInputStream()}, {@link #getErrorStream()} and {@link #getOutputStream()}.
   * A running container is left as it is, as Docker does. Any JVM may start a container another
   * created: every option is read from its directory.
   *
   * <pre>{@code
   * Container c = berth.create("busybox", RunOptions.command("date"));
   * c.start();
   * c.waitFor();
   * c.start();   // runs date again, in the same container
   * }</pre>
   *
   * @throws ContainerStartException when the process cannot be started (with stage and errno)
   * @throws BerthException when the container was removed (an auto-remove container is, once it
   *     exits)
   */
  public void start() {
    handle.start();
  }

  /**
   * Stops it when it runs ({@link #stop(Duration)}), then starts it again ({@link #start()}),
   * as {@code docker restart}.
   *
   * @param stopTimeout how long it has to exit after SIGTERM before SIGKILL
   * @throws ContainerStartException when the process cannot be started again
   * @throws BerthException when the container was removed
   */
  public void restart(Duration stopTimeout) {
    handle.restart(stopTimeout);
  }

  /**
   * Renames it, running or not, as {@code docker rename}; {@link #name()} and
   * {@link Berth#container(String)} then know the new name, and the old one is free.
   *
   * @param newName the new name, unique among this engine's containers
   * @throws BerthException when another container has the name (the message names it), the
   *     name is the current one, or the container was removed
   * @throws IllegalArgumentException when the name is not {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}
   */
  public void rename(String newName) {
    handle.rename(newName);
  }

  /**
   * Connects it to a user-defined network, as {@code docker network connect}. A running
   * container gets a new interface at once ({@code eth1}, {@code eth2} … in the order networks
   * are connected) with an address on the network; its default route stays on the network it
   * started on. Containers on the network reach it by its host name, its name and the aliases,
   * and it reaches them by theirs. A created or stopped container joins the network when it
   * starts, and every start after that wires it again, until {@link #disconnect}. Needs root.
   *
   * <pre>{@code
   * berth.createNetwork("backend");
   * web.connect("backend", List.of("api"));   // peers on backend now reach web as "api"
   * }</pre>
   *
   * @param network the user-defined network's name
   * @param aliases more names it has on that network, besides its host name and name
   * @throws BerthException "No such network: …" when the network does not exist; when the
   *     container is already connected to it (the message names both); when its network mode is
   *     host, none or another container's (such a container has no network of its own to add
   *     to); when the container was removed
   * @throws UnsupportedEnvironmentException when not root (user-defined networks need it)
   */
  public void connect(String network, java.util.List<String> aliases) {
    handle.connect(network, java.util.List.copyOf(aliases));
  }

  /**
   * Disconnects it from a user-defined network, as {@code docker network disconnect}: a
   * running container loses that interface at once and its peers there lose its names; no later
   * start connects it again. Disconnected from every network, it starts with loopback only.
   *
   * @param network the network's name
   * @param force also forget a network that no longer exists
   * @throws BerthException "No such network: …" when the network does not exist (and not
   *     {@code force}); when the container is not connected to it; when it was removed
   */
  public void disconnect(String network, boolean force) {
    handle.disconnect(network, force);
  }

  /**
   * Lists its processes, as {@code docker top}: {@code UID PID PPID C STIME TTY TIME CMD}, with
   * host pids.
   *
   * @return one row for each process, with the titles of {@code ps -ef}
   * @throws BerthException "container … is not running" when it is not running
   */
  public ContainerTop top() {
    return handle.top();
  }

  /** Sends SIGKILL, as {@code docker kill}. */
  public void kill() {
    kill("SIGKILL");
  }

  /**
   * Sends a signal to its process, as {@code docker kill -s}.
   *
   * @param signal a name ({@code SIGTERM}, {@code TERM}) or number ({@code 15})
   * @throws BerthException when it is not running, or the signal is unknown
   */
  public void kill(String signal) {
    handle.kill(signal);
  }

  /**
   * Removes it, as {@code docker rm}.
   *
   * @param force kill it first when it runs ({@code rm -f}); without it a running container is
   *     refused
   */
  public void remove(boolean force) {
    handle.remove(force);
  }

  /** @return everything it has written to stdout and stderr so far, in order */
  public String logs() {
    return handle.logs();
  }

  /**
   * Runs a command in the running container and waits for it, as {@code docker exec}.
   *
   * @param command the program and its arguments
   * @return its exit code and output
   * @throws ContainerStartException when the command cannot be started (127 not found, 126
   *     not executable)
   * @throws BerthException when the container is not running
   * @throws InterruptedException when this thread is interrupted while waiting
   */
  public ExecResult exec(String... command) throws InterruptedException {
    return exec(ExecOptions.builder(command).build()).collect();
  }

  /**
   * Starts a process in the running container, as {@code docker exec [-i] [-t]}; its
   * environment, working directory and user are the container's unless {@code options} say
   * otherwise.
   *
   * @param options the command, and its terminal, stdin, environment, directory and user
   * @return the started process
   * @throws ContainerStartException when the command cannot be started
   * @throws BerthException when the container is not running
   */
  public ContainerProcess exec(ExecOptions options) {
    return new ContainerProcess(handle.exec(options));
  }

  /**
   * Changes the size of the container's terminal (it gets SIGWINCH).
   *
   * @param rows the terminal's height, in lines
   * @param cols the terminal's width, in columns
   * @throws BerthException when it has no terminal or is not running
   */
  public void resize(int rows, int cols) {
    handle.resize(rows, cols);
  }

  /**
   * Reads its log as {@code docker logs} does: since/until, the last lines, following until it
   * exits. Works from any JVM and after the container has exited.
   *
   * @param options which lines: since, until, the last lines, follow
   * @return the selected lines; with {@code follow}, a stream that blocks for new lines
   */
  public java.util.stream.Stream<LogLine> logs(LogOptions options) {
    return handle.logs(options);
  }

  /**
   * The host port that reaches {@code containerPort} (TCP), as {@code docker port}.
   *
   * @param containerPort the TCP port inside the container
   * @return the port on the host
   * @throws BerthException when that port is not published or the container is not running
   */
  public int hostPort(int containerPort) {
    return hostPort(containerPort, "tcp");
  }

  /**
   * The host port that reaches {@code containerPort} over {@code protocol} ({@code tcp} or
   * {@code udp}).
   *
   * @param containerPort the port inside the container
   * @param protocol {@code tcp} or {@code udp}
   * @return the port on the host
   * @throws BerthException when that port is not published or the container is not running
   */
  public int hostPort(int containerPort, String protocol) {
    return inspect().hostPort(containerPort, protocol);
  }

  /**
   * @return its memory, CPU time and process count now, from its cgroup ({@code docker stats})
   * @throws BerthException when it is not running or this host gives it no cgroup
   */
  public ContainerStats stats() {
    return handle.stats();
  }

  /**
   * Freezes every process in it ({@code docker pause}); {@link #inspect()} then says PAUSED.
   *
   * @throws BerthException when it is not running or this host gives it no cgroup
   */
  public void pause() {
    handle.pause(true);
  }

  /** Thaws it after {@link #pause()} ({@code docker unpause}). */
  public void unpause() {
    handle.pause(false);
  }

  /**
   * Copies a host file or directory (recursively) into the container, as
   * {@code docker cp host ctr:path}: into {@code containerPath} under its own name when that is
   * an existing directory, else to {@code containerPath} itself. Modes and times are kept; the
   * copies are owned by root. Paths resolve inside the container: a symlink there (even one to
   * {@code /}) cannot make the copy write host files. Works on a running container and on a
   * stopped one, whose next process sees the files; rootless, the copies are owned by container
   * root, that is you.
   *
   * @param hostPath the file or directory to copy
   * @param containerPath the destination inside the container
   * @throws BerthException naming the path when the host path or the container directory does
   *     not exist, or a directory would replace a file
   * @throws IllegalArgumentException when {@code containerPath} is not absolute
   * @throws UnsupportedEnvironmentException for a stopped container when rootless with the
   *     root file system forced to {@code overlay} (BERTH_ROOTFS), which only root can mount
   */
  public void copyTo(java.nio.file.Path hostPath, String containerPath) {
    handle.copyTo(hostPath, containerPath);
  }

  /**
   * Copies a file or directory (recursively) out of the container, as
   * {@code docker cp ctr:path host}: into {@code hostPath} under its own name when that is an
   * existing directory, else to {@code hostPath} itself. Modes and times are kept; the copies
   * are owned by the caller; a symlink is copied as a symlink. Paths resolve inside the
   * container, so a symlink there cannot make the copy read host files. Rootless, files that
   * only a subordinate id may read (a 0600 file of user 1000) cannot be copied out.
   *
   * @param containerPath the file or directory to copy, inside the container
   * @param hostPath the destination on the host
   * @throws BerthException naming the path when it does not exist in the container, or the host
   *     directory does not exist
   * @throws IllegalArgumentException when {@code containerPath} is not absolute
   * @throws UnsupportedEnvironmentException for a stopped container when rootless with the
   *     root file system forced to {@code overlay} (BERTH_ROOTFS), which only root can mount
   */
  public void copyFrom(String containerPath, java.nio.file.Path hostPath) {
    handle.copyFrom(containerPath, hostPath);
  }

  /**
   * @return its state now (status, exit code, times, pid, ports, addresses) and what it was
   *     created with (options, environment, working directory, user, hostname)
   */
  public ContainerInfo inspect() {
    return handle.inspect();
  }

  /** Kills it if it still runs, and removes it: a closed container leaves nothing behind. */
  @Override
  public void close() {
    handle.remove(true);
  }

  @Override
  public String toString() {
    return inspect().toString();
  }
}
