package dev.berth.internal.engine;

import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.SpareCgroup;
import dev.berth.internal.runtime.SpareHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One spare helper kept ready for the engine's next container. It saves a start the helper's
 * spawn (a few milliseconds: posix_spawn, exec, the re-exec from its sealed copy) everywhere,
 * and as root on cgroup v1 also the move into the v1 cgroups, whose cgroup.procs write takes
 * milliseconds more (see spare.c). The first two containers of
 * an engine start the usual way (a JVM that runs one container, as the CLI does, never pays for
 * a spare) and the second starts the first spare; each claim starts the next in the background, once the claiming container is up (the spare's cgroup write holds the kernel's
 * fork lock while it waits, and would stall that start). A start that finds the spare still on
 * its way waits for it: a new helper would pay the same cgroup write, later. A run that loses
 * the race for the spare to another thread starts a helper as before.
 */
final class SparePool implements AutoCloseable {
  /** How long a start waits for a spare on its way before it goes without. */
  private static final Duration READY_WAIT = Duration.ofSeconds(2);
  /** After this many spares in a row fail, the engine stops making them. */
  private static final int MAX_FAILURES = 3;

  /** A spare: the helper and the cgroup dirs its zygote sits in. */
  record Spare(SpareHelper helper, SpareCgroup cgroup) implements AutoCloseable {
    @Override
    public void close() {
      helper.close();
      cgroup.remove();
    }
  }

  private final Supplier<Path> helperPath;
  private final CgroupHost host;
  /** The next spare, on its way or ready; its value is null when none could be made. */
  private final AtomicReference<CompletableFuture<Spare>> next = new AtomicReference<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger starts = new AtomicInteger();
  private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "berth-spare");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  SparePool(Supplier<Path> helperPath, CgroupHost host) {
    this.helperPath = helperPath;
    this.host = host;
  }

  /**
   * Removes the spare cgroup dirs of JVMs that are gone (killed before their spare's helper
   * started, or along with it), as the engine opens: an engine that starts no containers sweeps
   * them too.
   */
  void sweepGone() {
    SpareCgroup.sweep(host);
  }

  private boolean enabled() {
    return !closed && failures.get() < MAX_FAILURES;
  }

  /**
   * Takes the spare for one container, waiting for one on its way.
   *
   * @return null when there is none: start a helper as usual
   */
  Spare claim() {
    CompletableFuture<Spare> f = next.getAndSet(null);
    if (f == null) {
      return null;
    }
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    Spare s;
    try {
      s = f.get(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      f.thenAccept(late -> closeQuietly(late));
      failures.incrementAndGet();
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.thenAccept(late -> closeQuietly(late));
      return null;
    }
    if (s == null) {
      return null;
    }
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    if (s.helper().awaitReady(left) && s.helper().isReady()) {
      failures.set(0);
      return s;
    }
    failures.incrementAndGet();
    s.close();
    return null;
  }

  /**
   * Called after each container start: starts the next spare in the background, from the second
   * start on, unless one is on its way.
   */
  void refill() {
    if (starts.incrementAndGet() < 2 || !enabled() || next.get() != null) {
      return;
    }
    CompletableFuture<Spare> f = new CompletableFuture<>();
    if (!next.compareAndSet(null, f)) {
      return;
    }
    try {
      starter.execute(() -> f.complete(startOne()));
    } catch (RejectedExecutionException closing) {
      f.complete(null);
    }
  }

  /** @return a started spare, or null */
  private Spare startOne() {
    if (closed) {
      return null;
    }
    SpareCgroup cgroup = null;
    try {
      cgroup = SpareCgroup.create(host);
      return new Spare(SpareHelper.start(helperPath.get(), cgroup.dirs()), cgroup);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      if (cgroup != null) {
        cgroup.remove();
      }
      return null;
    }
  }

  private static void closeQuietly(Spare s) {
    if (s != null) {
      s.close();
    }
  }

  /** Ends the spare, if any; returns once its helper is gone and its cgroup dirs removed. */
  @Override
  public void close() {
    closed = true;
    starter.shutdown();
    try {
      starter.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    CompletableFuture<Spare> f = next.getAndSet(null);
    if (f != null) {
      closeQuietly(f.getNow(null));
    }
  }
}
