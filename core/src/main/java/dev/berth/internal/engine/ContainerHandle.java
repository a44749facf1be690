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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The machinery behind a public {@code Container}: its record, the monitor's process when this
 * JVM started it, and a future of its exit code that every waiting method shares.
 */
public final class ContainerHandle {
  private final ContainerManager containers;
  private final ContainerRecord record;
  private final LaunchedContainer launched;
  private final boolean attached;
  private final CompletableFuture<Integer> exit;

  private ContainerHandle(ContainerManager containers, Executor waiters, ContainerRecord record,
      LaunchedContainer launched, boolean attached) {
    this.containers = containers;
    this.record = record;
    this.launched = launched;
    this.attached = attached;
    // The monitor's exit status is the container's exit code: no need to read the state file,
    // which --rm may already have removed.
    this.exit = launched != null ? launched.monitor().onExit().thenApply(Process::exitValue)
        : CompletableFuture.supplyAsync(this::pollExit, waiters);
  }

  /**
   * Creates and starts a container. A detached one's output goes to its log only; with
   * {@code autoRemove} its monitor removes it when it exits, even after this JVM is gone.
   */
  public static ContainerHandle start(Engine engine, ImageRecord image, String imageName,
      RunOptions options) {
    ContainerManager.Started s = engine.containers().run(image, imageName, options);
    return new ContainerHandle(engine.containers(), engine.waiters(), s.record(), s.launched(),
        !options.detach());
  }

  /** A handle on a container found on disk (any JVM may have started it). */
  public static ContainerHandle of(Engine engine, ContainerRecord record) {
    return new ContainerHandle(engine.containers(), engine.waiters(), record, null, false);
  }

  public ContainerRecord record() {
    return record;
  }

  public InputStream stdout() {
    return attached ? launched.stdout() : InputStream.nullInputStream();
  }

  public InputStream stderr() {
    return attached ? launched.stderr() : InputStream.nullInputStream();
  }

  public OutputStream stdin() {
    if (launched == null || !record.stdinOpen()) {
      throw new BerthException("container " + record.name() + " has no open stdin: start it with"
          + " RunOptions.builder().stdinOpen(true) to write to it");
    }
    return launched.stdin();
  }

  public int waitFor() throws InterruptedException {
    if (launched != null) {
      // Straight on the monitor: Process.onExit() (behind the future) hops through the common pool.
      return launched.monitor().waitFor();
    }
    try {
      return exit.get();
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  public boolean waitFor(Duration timeout) throws InterruptedException {
    if (launched != null) {
      return launched.monitor().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  public CompletableFuture<ContainerHandle> onExit() {
    return exit.thenApply(code -> this);
  }

  public int exitValue() {
    if (launched != null && !launched.monitor().isAlive()) {
      return launched.monitor().exitValue(); // waitFor() returns before the future completes
    }
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("container " + record.name() + " is still running");
    }
    return exit.join();
  }

  public boolean isAlive() {
    return !exit.isDone() && inspect().isRunning();
  }

  public void stop(Duration timeout) {
    containers.stop(record, timeout.toMillis());
    awaitQuietly();
  }

  public void kill(String signal) {
    containers.signal(record, Signals.parse(signal));
  }

  public void remove(boolean force) {
    containers.remove(record, force);
  }

  public LaunchedContainer exec(dev.berth.ExecOptions options) {
    return containers.exec(record, options);
  }

  public dev.berth.ContainerStats stats() {
    return containers.stats(record);
  }

  public void pause(boolean paused) {
    containers.pause(record, paused);
  }

  public void resize(int rows, int cols) {
    containers.resize(record, rows, cols);
  }

  public void copyTo(java.nio.file.Path host, String path) {
    containers.copyTo(record, host, path);
  }

  public void copyFrom(String path, java.nio.file.Path host) {
    containers.copyFrom(record, path, host);
  }

  public ContainerInfo inspect() {
    return containers.info(record);
  }

  /** @return the log's text, both streams in the order they were written */
  public String logs() {
    StringBuilder out = new StringBuilder();
    logs(dev.berth.LogOptions.builder().build()).forEach(l -> out.append(l.text()));
    return out.toString();
  }

  /** @return the log lines the options select; following ends when the container exits */
  public java.util.stream.Stream<dev.berth.LogLine> logs(dev.berth.LogOptions options) {
    return LogReader.read(containers.files(record.id()).log(), options,
        () -> inspect().isRunning());
  }

  private int exitFromState() {
    return inspect().exitCode();
  }

  private int pollExit() {
    containers.awaitExit(record, Long.MAX_VALUE / 2_000_000);
    return exitFromState();
  }

  private void awaitQuietly() {
    try {
      exit.get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // stop() already waited on the state file; this only lets the future settle
    }
  }

  private static RuntimeException unwrap(ExecutionException e) {
    return e.getCause() instanceof RuntimeException r ? r
        : new BerthException("waiting for a container failed: " + e.getCause(), e.getCause());
  }
}
