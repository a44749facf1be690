package dev.berth.internal.engine;

import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.SpareCgroup;
import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.runtime.SpareHelper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
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
 * that loses the race for the spares to other threads starts a helper as before. As root, a
 * spare for a container on the private network also starts its slirp4netns ahead (the
 * millisecond of fork, exec and tap0's setup that the private network's start costs more than
 * {@code --network none}'s); the pool keeps spares of each kind its recent claims wanted, and a
 * claim takes a ready one of its kind first.
 */
final class SparePool implements AutoCloseable {
  /** How long a start waits for a spare on its way before it goes without. */
  private static final Duration READY_WAIT = Duration.ofSeconds(2);
  /** How many spares the pool keeps, from the third start on. */
  static final int KEPT = 2;
  /** How many claims a kind of spare is kept for after its last one (a workload that alternates keeps both). */
  private static final int RECENT_CLAIMS = 32;
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
  /** Where spares' slirp4netns logs wait for a claim; null: spares start none (not root). */
  private final Path slirpLogDir;
  /** Claims (one a start) so far, and the number of the last that wanted each kind ([1]: slirp4netns ahead); guarded by this. */
  private long claims;
  private final long[] lastClaim = {Long.MIN_VALUE / 2, Long.MIN_VALUE / 2};
  /**
   * A spare on its way or ready (the future's value is null when none could be made), and
   * whether it was made for the private network (to start slirp4netns ahead).
   */
  private record Pending(boolean slirp, CompletableFuture<Spare> spare) {
  }

  /** The spares on their way or ready, oldest first. */
  private final ArrayDeque<Pending> pool = new ArrayDeque<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "berth-spare");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /**
   * @param slirpLogDir where spares' slirp4netns logs wait for a claim (on the file system of
   *     the container dirs); null: spares start no slirp4netns ahead (it serves only a network
   *     namespace made ahead, which needs root)
   */
  SparePool(Supplier<Path> helperPath, CgroupHost host, Path slirpLogDir) {
    this.helperPath = helperPath;
    this.host = host;
    this.slirpLogDir = slirpLogDir;
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
   * @param privateNetwork whether the container is on the private network (slirp4netns): a
   *     spare that started one ahead saves it a millisecond, one that did not saves a container
   *     on another network ending it; the pool keeps spares of the kinds its recent claims wanted
   * @return null when there is none: start a helper as usual
   */
  Spare claim(boolean privateNetwork) {
    CompletableFuture<Spare> f = take(privateNetwork && slirpLogDir != null);
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
   * A ready spare's future, of the kind asked for (slirp4netns ahead or not) first, then a ready
   * one of the other kind, then the oldest on its way (of its kind first); null when the pool is
   * empty. Spares whose process is gone (killed from outside) or that could not be made leave
   * the pool here, their cgroup dirs with them.
   */
  private CompletableFuture<Spare> take(boolean slirp) {
    List<Spare> gone = new ArrayList<>();
    Pending mine = null;
    Pending other = null;
    Pending mineOnItsWay = null;
    Pending taken;
    synchronized (this) {
      lastClaim[slirp ? 1 : 0] = ++claims;
      for (Iterator<Pending> i = pool.iterator(); i.hasNext();) {
        Pending p = i.next();
        Spare s = p.spare().getNow(null);
        if (p.spare().isDone() && (s == null || !s.helper().isAlive())) {
          i.remove();
          if (s != null) {
            gone.add(s);
          }
        } else if (s != null && s.helper().isReady()) {
          if (p.slirp() == slirp && mine == null) {
            mine = p;
          } else if (p.slirp() != slirp && other == null) {
            other = p;
          }
        } else if (p.slirp() == slirp && mineOnItsWay == null) {
          mineOnItsWay = p;
        }
      }
      taken = mine != null ? mine : other != null ? other : mineOnItsWay != null ? mineOnItsWay : pool.peekFirst();
      pool.remove(taken);
    }
    gone.forEach(SparePool::closeQuietly);
    return taken == null ? null : taken.spare();
  }

  /**
   * Called after each container start: tops the pool up in the background, to one spare after
   * the second start and to {@value #KEPT} from the third on, of each kind a claim wanted in the
   * last {@value #RECENT_CLAIMS} (a workload that alternates between the private network and
   * another finds its kind ready; one that changed ends the spares of the kind it left).
   */
  void refill() {
    if (!enabled()) {
      return;
    }
    List<Pending> added = new ArrayList<>();
    List<Pending> retired = new ArrayList<>();
    synchronized (this) {
      long n = claims; // each start claims first (an empty pool counts too)
      if (n < 2) {
        return;
      }
      for (boolean slirp : new boolean[] {false, true}) {
        long last = lastClaim[slirp ? 1 : 0];
        int target = last == claims ? (n == 2 ? 1 : KEPT) : claims - last < RECENT_CLAIMS ? KEPT : 0;
        List<Pending> ofKind = pool.stream().filter(p -> p.slirp() == slirp).toList();
        for (int k = ofKind.size(); k < target; k++) {
          Pending p = new Pending(slirp, new CompletableFuture<>());
          pool.addLast(p);
          added.add(p);
        }
        retired.addAll(ofKind.subList(Math.min(target, ofKind.size()), ofKind.size()));
      }
      pool.removeAll(retired);
    }
    for (Pending p : added) {
      try {
        starter.execute(() -> p.spare().complete(startOne(p.slirp())));
      } catch (RejectedExecutionException closing) {
        p.spare().complete(null);
      }
    }
    retired.forEach(p -> p.spare().thenAccept(this::retire));
  }

  /** Ends a spare the pool no longer wants, in the background (at once when the pool closes). */
  private void retire(Spare s) {
    try {
      starter.execute(() -> closeQuietly(s));
    } catch (RejectedExecutionException closing) {
      closeQuietly(s);
    }
  }

  /** @return a started spare (starting slirp4netns ahead when slirp and it is installed), or null */
  private Spare startOne(boolean slirp) {
    if (closed) {
      return null;
    }
    SpareCgroup cgroup = null;
    try {
      cgroup = SpareCgroup.create(host);
      Optional<Path> slirp4netns = slirp ? NetworkCapabilities.slirp() : Optional.empty();
      return new Spare(SpareHelper.start(helperPath.get(), cgroup.dirs(),
          slirp4netns.map(p -> new SpareHelper.Slirp(p, slirpLogDir)).orElse(null)), cgroup);
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
    List<Pending> left;
    synchronized (this) {
      left = new ArrayList<>(pool);
      pool.clear();
    }
    left.forEach(p -> closeQuietly(p.spare().getNow(null)));
  }
}
