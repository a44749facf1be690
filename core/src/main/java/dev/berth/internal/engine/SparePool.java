package dev.berth.internal.engine;

import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.SpareCgroup;
import dev.berth.internal.runtime.SpareHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Spare helpers kept ready for the engine's next containers. A spare saves a start the helper's
 * spawn (a few milliseconds: posix_spawn, exec, the re-exec from its sealed copy) everywhere,
 * and as root on cgroup v1 also the move into the v1 cgroups (see spare.c) and the making of the
 * network namespace. The first two containers of an engine start the usual way (a JVM that runs
 * one container, as the CLI does, never pays for a spare); the second starts one spare and each
 * later start tops the pool up to {@value #KEPT}, in the background, once the claiming container
 * is up. Two, because making one takes about as long as a short container's whole run and
 * removal: with one, back-to-back runs of /bin/true found it still on its way in 283 of 1,000
 * claims (7 of 1,000 with two). A claim takes a ready spare first; one that finds only spares on
 * their way waits for the oldest: a new helper would pay the same cgroup write, later. A run
 * that loses the race for the spares to other threads starts a helper as before.
 */
final class SparePool implements AutoCloseable {
  /** How long a start waits for a spare on its way before it goes without. */
  private static final Duration READY_WAIT = Duration.ofSeconds(2);
  /** How many spares the pool keeps, from the third start on. */
  static final int KEPT = 2;
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
  /** The spares on their way or ready, oldest first; a value is null when none could be made. */
  private final ArrayDeque<CompletableFuture<Spare>> pool = new ArrayDeque<>();
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
    CompletableFuture<Spare> f = take();
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
   * A ready spare's future, else the oldest one on its way; null when the pool is empty. Spares
   * whose process is gone (killed from outside) or that could not be made leave the pool here,
   * their cgroup dirs with them.
   */
  private CompletableFuture<Spare> take() {
    List<Spare> gone = new ArrayList<>();
    CompletableFuture<Spare> taken = null;
    synchronized (this) {
      for (Iterator<CompletableFuture<Spare>> i = pool.iterator(); i.hasNext();) {
        CompletableFuture<Spare> f = i.next();
        Spare s = f.getNow(null);
        if (f.isDone() && (s == null || !s.helper().isAlive())) {
          i.remove();
          if (s != null) {
            gone.add(s);
          }
        } else if (taken == null && s != null && s.helper().isReady()) {
          i.remove();
          taken = f;
        }
      }
      if (taken == null) {
        taken = pool.pollFirst();
      }
    }
    gone.forEach(SparePool::closeQuietly);
    return taken;
  }

  /**
   * Called after each container start: tops the pool up in the background, to one spare after
   * the second start and to {@value #KEPT} from the third on.
   */
  void refill() {
    int n = starts.incrementAndGet();
    if (n < 2 || !enabled()) {
      return;
    }
    List<CompletableFuture<Spare>> added = new ArrayList<>();
    synchronized (this) {
      while (pool.size() < (n == 2 ? 1 : KEPT)) {
        CompletableFuture<Spare> f = new CompletableFuture<>();
        pool.addLast(f);
        added.add(f);
      }
    }
    for (CompletableFuture<Spare> f : added) {
      try {
        starter.execute(() -> f.complete(startOne()));
      } catch (RejectedExecutionException closing) {
        f.complete(null);
      }
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

  /** Ends the spares, if any; returns once their helpers are gone and their cgroup dirs removed. */
  @Override
  public void close() {
    closed = true;
    starter.shutdown();
    try {
      starter.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (CompletableFuture<Spare> f; (f = take()) != null;) {
      closeQuietly(f.getNow(null));
    }
  }
}
