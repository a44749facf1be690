package dev.berth.internal.unpack;

import dev.berth.BerthException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Creates one layer's regular files on a few threads while the tar is still read in order: the
 * kernel's file creation ({@code openat(O_CREAT)}, the writes, owner, mode, times) is most of an
 * unpack, and one thread leaves the other cores idle. The reader keeps everything whose order
 * matters — directories, links, whiteouts, replacing — and calls {@link #barrier()} before any
 * of it could meet a file still being written: {@link #mustWaitFor} says when.
 *
 * <p>What is in flight is bounded (files and bytes), so memory stays small whatever the layer.
 * The first failure of a writer is thrown to the reader at its next call.
 */
final class FileWriters {
  /** Files larger than this are written by the reader itself: their bytes are not held in memory. */
  static final int MAX_QUEUED_FILE = 1 << 20;
  private static final int MAX_IN_FLIGHT_BYTES = 32 << 20;
  private static final int MAX_IN_FLIGHT_FILES = 512;
  /**
   * Writer threads: {@code -Dberth.unpack.writers=N}, else half the cores (2 to 4). On 2 cores
   * the writers measured slower than the reader alone (BENCHMARKS.md, pull), so they are only
   * {@link #BY_DEFAULT} from 4 cores up, or when the property asks for them.
   */
  private static final Integer ASKED = Integer.getInteger("berth.unpack.writers");
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  static final int THREADS = ASKED != null && ASKED > 0 ? ASKED : Math.max(2, Math.min(4, CORES / 2));
  /** Whether unpacking uses the writers unless told otherwise ({@link UnpackOptions}). */
  static final boolean BY_DEFAULT = ASKED != null ? ASKED > 0 : CORES >= 4;
  private static final ExecutorService POOL = pool();
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(256 << 10));

  /** One directory fd shared by the files queued in it; closed when the last of them is done. */
  static final class Dir {
    private final int fd;
    private final AtomicInteger refs = new AtomicInteger(1);

    private Dir(int fd) {
      this.fd = fd;
    }

    int fd() {
      return fd;
    }

    private Dir retain() {
      refs.incrementAndGet();
      return this;
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        Syscalls.closeQuietly(fd);
      }
    }
  }

  /** Writes one file; runs on a writer thread. */
  interface Job {
    /** @return the bytes written */
    long run(int dirFd, ByteBuffer buffer);
  }

  private final Semaphore files = new Semaphore(MAX_IN_FLIGHT_FILES);
  private final Semaphore bytes = new Semaphore(MAX_IN_FLIGHT_BYTES);
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object idle = new Object();
  /** Physical paths queued since the last barrier, and every ancestor directory of them. */
  private final Set<String> queued = new HashSet<>();
  private final Set<String> queuedAncestors = new HashSet<>();
  /** The same for the names as the archive spells them, to check parents before resolving them. */
  private final Set<String> queuedNames = new HashSet<>();
  private long written;

  /** @return a handle on the directory {@code parentFd} holds, for jobs queued in it */
  static Dir dir(int parentFd) {
    return new Dir(Syscalls.openat(parentFd, ".", Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0));
  }

  /**
   * @param physical the entry's place, symlinks resolved, relative to the root
   * @return whether a queued file could be touched by an entry at {@code physical}: the same
   *     path, a directory that holds queued files, or a queued file named as its parent
   */
  boolean mustWaitFor(String physical) {
    return queued.contains(physical) || queuedAncestors.contains(physical);
  }

  /** @return whether resolving {@code lexicalParent} could meet a queued file as a directory */
  boolean mustWaitBeforeResolving(String lexicalParent) {
    if (queuedNames.isEmpty()) {
      return false;
    }
    for (String p = lexicalParent; !p.isEmpty(); p = parentOf(p)) {
      if (queuedNames.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Queues {@code job} for the file at {@code physical} ({@code lexical} in the archive). */
  void submit(Dir dir, String physical, String lexical, int size, Job job) {
    rethrow();
    int permits = Math.max(size, 1);
    acquire(files, 1);
    acquire(bytes, permits);
    queued.add(physical);
    queuedNames.add(lexical);
    for (String p = parentOf(physical); !p.isEmpty() && queuedAncestors.add(p); p = parentOf(p)) {
      // the parent and its ancestors, stopping at the first already known
    }
    Dir held = dir.retain();
    inFlight.incrementAndGet();
    try {
      POOL.execute(() -> {
        try {
          if (failure.get() == null) {
            long n = job.run(held.fd(), BUFFER.get());
            synchronized (this) {
              written += n;
            }
          }
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        } catch (Error e) {
          failure.compareAndSet(null, new BerthException("a file writer failed: " + e, e));
        } finally {
          held.release();
          files.release();
          bytes.release(permits);
          if (inFlight.decrementAndGet() == 0) {
            synchronized (idle) {
              idle.notifyAll();
            }
          }
        }
      });
    } catch (RuntimeException e) { // rejected: the pool is shut down with the JVM
      held.release();
      files.release();
      bytes.release(permits);
      inFlight.decrementAndGet();
      throw e;
    }
  }

  /** Waits until every queued file is written; throws the first writer's failure. */
  void barrier() {
    quiesce();
    queued.clear();
    queuedAncestors.clear();
    queuedNames.clear();
    rethrow();
  }

  /** Waits until no writer works in the layer any more, failed or not: before it is removed. */
  void quiesce() {
    boolean interrupted = false;
    synchronized (idle) {
      while (inFlight.get() > 0) {
        try {
          idle.wait();
        } catch (InterruptedException e) {
          interrupted = true; // the writers finish soon; the layer must not be removed under them
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** @return the bytes the writers wrote; call after {@link #barrier()} */
  synchronized long written() {
    return written;
  }

  private void rethrow() {
    RuntimeException e = failure.get();
    if (e != null) {
      throw e instanceof LinuxException || e instanceof BerthException ? e
          : new BerthException(e.getMessage(), e);
    }
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  private static void acquire(Semaphore s, int permits) {
    try {
      s.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("interrupted while queueing a file to write", e);
    }
  }

  private static ExecutorService pool() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "berth-file-writer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true); // no threads kept when nothing is unpacked
    return pool;
  }
}
