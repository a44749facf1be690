package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.RunOptions;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.Signals;
import dev.berth.internal.store.ImageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The machinery behind a public {@code Container}: its record, the monitor's process when this
 * JVM started it, and a future of its exit code that every waiting method shares.
 */
public final class ContainerHandle implements ContainerBackend {
  private final ContainerManager containers;
  private final Executor waiters;
  /** Replaced by a rename. */
  private volatile ContainerRecord record;
  /** Replaced by each start this handle makes; null when another JVM (or none) started it. */
  private volatile LaunchedContainer launched;
  private volatile boolean attached;
  /** Made when first asked for (see {@link #exit()}), replaced by each start. */
  private volatile CompletableFuture<Integer> exit;

  private ContainerHandle(ContainerManager containers, Executor waiters, ContainerRecord record,
      LaunchedContainer launched, boolean attached) {
    this.containers = containers;
    this.waiters = waiters;
    this.record = record;
    started(launched, attached);
  }

  /** Takes over the process of a start: its streams, and its exit as the container's. */
  private void started(LaunchedContainer process, boolean attach) {
    this.launched = process;
    this.attached = process != null && attach;
    // The monitor's exit status is the container's exit code: no need to read the state file,
    // which --rm may already have removed.
    this.exit = process != null ? monitorExit(process.monitor()) : null;
  }

  /**
   * The monitor's exit, waited for on the engine's own waiter threads. Not Process.onExit(): it
   * completes through CompletableFuture's async pool, which on JDK 25 is the common pool even
   * with one or two CPUs, so a caller that blocks that pool (reading a stream in supplyAsync)
   * would hold back every container's exit, and docker-api's wait with it.
   */
  private CompletableFuture<Integer> monitorExit(Process monitor) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        boolean interrupted = false;
        while (true) {
          try {
            int code = monitor.waitFor();
            if (interrupted) Thread.currentThread().interrupt();
            return code;
          } catch (InterruptedException e) {
            interrupted = true; // the exit is still coming: the engine's close interrupts no waiter it needs
          }
        }
      }, waiters);
    } catch (RejectedExecutionException e) {
      return monitor.onExit().thenApply(Process::exitValue); // the engine is closing
    }
  }

  /**
   * The exit of the container's current run: its monitor's when this handle started it, else
   * polled from its state file. A run that ended before a start elsewhere (another handle or
   * JVM) is forgotten, so waiting waits for the new run.
   */
  private CompletableFuture<Integer> exit() {
    CompletableFuture<Integer> e = exit;
    if (e != null && e.isDone() && inspect().isRunning()) {
      synchronized (this) {
        if (exit == e) {
          launched = null; // its monitor is gone: the running process is another start's
          attached = false;
          exit = null;
        }
      }
    }
    e = exit;
    if (e == null) {
      synchronized (this) {
        if (exit == null) {
          exit = CompletableFuture.supplyAsync(this::pollExit, waiters);
        }
        e = exit;
      }
    }
    return e;
  }

  /**
   * Creates and starts a container. A detached one's output goes to its log only; with
   * {@code autoRemove} its monitor removes it when it exits, even after this JVM is gone.
   */
  public static ContainerHandle start(Engine engine, ImageRecord image, String imageName,
      RunOptions options) {
    ContainerStarter.Started s = engine.containers().run(image, imageName, options);
    return new ContainerHandle(engine.containers(), engine.waiters(), s.record(), s.launched(),
        !options.detach());
  }

  /** Creates a container and leaves it CREATED, as {@code docker create}. */
  public static ContainerHandle create(Engine engine, ImageRecord image, String imageName,
      RunOptions options) {
    ContainerRecord r = engine.containers().create(image, imageName, options);
    return new ContainerHandle(engine.containers(), engine.waiters(), r, null, false);
  }

  /** A handle on a container found on disk (any JVM may have started it). */
  public static ContainerHandle of(Engine engine, ContainerRecord record) {
    return new ContainerHandle(engine.containers(), engine.waiters(), record, null, false);
  }

  /**
   * Starts it, as {@code docker start}: a created or exited container runs again; a running one
   * is left alone. Not detached, its streams become this handle's.
   */
  @Override
  public synchronized void start() {
    ContainerStarter.Started s = containers.start(record);
    record = s.record();
    if (s.launched() != null) {
      started(s.launched(), !record.runOptions().detach());
    }
  }

  /** Stops it when it runs, then starts it, as {@code docker restart}. */
  @Override
  public void restart(Duration stopTimeout) {
    stop(stopTimeout);
    start();
  }

  /** Renames it, as {@code docker rename}. */
  @Override
  public void rename(String newName) {
    record = containers.rename(record, newName);
  }

  /** Connects it to a user-defined network, as {@code docker network connect}. */
  @Override
  public void connect(String network, java.util.List<String> aliases) {
    record = containers.connect(record, network, aliases);
  }

  /** Disconnects it from a user-defined network, as {@code docker network disconnect}. */
  @Override
  public void disconnect(String network, boolean force) {
    record = containers.disconnect(record, network, force);
  }

  /** @return its processes, as {@code docker top} */
  @Override
  public dev.berth.ContainerTop top() {
    return containers.top(record);
  }

  @Override
  public String id() {
    return record.id();
  }

  @Override
  public String name() {
    return record.name();
  }

  public ContainerRecord record() {
    return record;
  }

  @Override
  public InputStream stdout() {
    LaunchedContainer l = launched;
    return attached && l != null ? l.stdout() : InputStream.nullInputStream();
  }

  @Override
  public InputStream stderr() {
    LaunchedContainer l = launched;
    return attached && l != null ? l.stderr() : InputStream.nullInputStream();
  }

  @Override
  public OutputStream stdin() {
    LaunchedContainer launched = this.launched;
    if (!record.stdinOpen()) {
      throw new BerthException("container " + record.name() + " has no open stdin: create it with"
          + " RunOptions.builder().stdinOpen(true) to write to it");
    }
    if (launched == null) {
      throw new BerthException("container " + record.name() + " was not started by this handle:"
          + " its stdin belongs to the one whose start() or run started it");
    }
    return launched.stdin();
  }

  @Override
  public int waitFor() throws InterruptedException {
    LaunchedContainer launched = current();
    if (launched != null) {
      // Straight on the monitor: Process.onExit() (behind the future) hops through the common pool.
      return launched.monitor().waitFor();
    }
    return Exits.await(exit());
  }

  @Override
  public boolean waitFor(Duration timeout) throws InterruptedException {
    LaunchedContainer launched = current();
    if (launched != null) {
      return launched.monitor().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return Exits.await(exit(), timeout);
  }

  @Override
  public CompletableFuture<ContainerHandle> onExit() {
    return exit().thenApply(code -> this);
  }

  @Override
  public int exitValue() {
    LaunchedContainer l = current();
    if (l != null) {
      if (l.monitor().isAlive()) {
        throw new IllegalThreadStateException("container " + record.name() + " is still running");
      }
      return l.monitor().exitValue(); // waitFor() returns before the future completes
    }
    ContainerInfo info = inspect();
    if (info.state() != ContainerInfo.State.EXITED) {
      throw new IllegalThreadStateException("container " + record.name() + " is "
          + (info.state() == ContainerInfo.State.CREATED ? "not started" : "still running"));
    }
    return info.exitCode();
  }

  @Override
  public boolean isAlive() {
    return inspect().isRunning(); // the monitor records the exit before it exits itself
  }

  /** This handle's process when it is the current run's (see {@link #exit()}), else null. */
  private LaunchedContainer current() {
    LaunchedContainer l = launched;
    if (l != null && !l.monitor().isAlive()) {
      exit(); // forgets it when another start has run the container since
      return launched;
    }
    return l;
  }

  @Override
  public void stop(Duration timeout) {
    containers.stop(record, timeout.toMillis());
    awaitQuietly();
  }

  @Override
  public void kill(String signal) {
    containers.signal(record, Signals.parse(signal));
  }

  @Override
  public void remove(boolean force) {
    containers.remove(record, force);
  }

  @Override
  public LaunchedContainer exec(dev.berth.ExecOptions options) {
    return containers.exec(record, options);
  }

  @Override
  public dev.berth.ContainerStats stats() {
    return containers.stats(record);
  }

  @Override
  public void pause(boolean paused) {
    containers.pause(record, paused);
  }

  @Override
  public void resize(int rows, int cols) {
    containers.resize(record, rows, cols);
  }

  @Override
  public void copyTo(java.nio.file.Path host, String path) {
    containers.copyTo(record, host, path);
  }

  @Override
  public void copyFrom(String path, java.nio.file.Path host) {
    containers.copyFrom(record, path, host);
  }

  @Override
  public ContainerInfo inspect() {
    return containers.info(record);
  }

  /** @return the log's text, both streams in the order they were written */
  @Override
  public String logs() {
    StringBuilder out = new StringBuilder();
    logs(dev.berth.LogOptions.builder().build()).forEach(l -> out.append(l.text()));
    return out.toString();
  }

  /** @return the log lines the options select; following ends when the container exits */
  @Override
  public java.util.stream.Stream<dev.berth.LogLine> logs(dev.berth.LogOptions options) {
    return LogReader.read(containers.files(record.id()).log(), options,
        () -> inspect().isRunning());
  }

  private int exitFromState() {
    return inspect().exitCode();
  }

  /** Waits through CREATED (another JVM may start it) and RUNNING, as {@code docker wait}. */
  private int pollExit() {
    containers.awaitStartedAndExited(record);
    return exitFromState();
  }

  private void awaitQuietly() {
    CompletableFuture<Integer> e = exit;
    if (e == null) {
      return; // nobody waits on it: nothing to settle (and a created one would wait for a start)
    }
    try {
      e.get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // stop() already waited on the state file; this only lets the future settle
    }
  }
}
