package dev.berth.internal.store;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * An exclusive lock that holds across threads and across JVMs sharing one BERTH_HOME: a JVM-wide
 * permit per file (file locks are per process, and Java refuses overlapping ones) plus an fcntl
 * lock on the file itself. Not re-entrant, and not tied to a thread: any thread may close it.
 */
public final class StoreLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();

  private final Semaphore threadLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private StoreLock(Semaphore threadLock, FileChannel channel, FileLock fileLock) {
    this.threadLock = threadLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /** Blocks until the lock on {@code file} is held. */
  public static StoreLock acquire(Path file) {
    Semaphore lock = IN_JVM.computeIfAbsent(file.toAbsolutePath(), p -> new Semaphore(1));
    lock.acquireUninterruptibly();
    FileChannel ch = null;
    try {
      ch = open(file);
      return new StoreLock(lock, ch, lockFile(ch));
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      lock.release();
      throw new BerthException("cannot lock " + file + ": " + e.getMessage()
          + "; check that BERTH_HOME is writable", e);
    }
  }

  /** Opens (creating) the lock file; its dir is made only when missing (a run takes several locks). */
  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (java.nio.file.NoSuchFileException noDir) {
      Files.createDirectories(file.getParent());
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
  }

  /**
   * fcntl locks belong to processes, not threads, so when two JVMs each hold one lock and wait
   * for the other's (two pulls' layer threads), the kernel calls it a deadlock (EDEADLK) although
   * each holder will let go. Then poll until the lock is free instead of blocking. The JDK gives
   * no errno, and its message is strerror's in the user's locale, so every failure of the
   * blocking call falls back to polling: a non-blocking try cannot fail with EDEADLK, and any
   * real error (ENOLCK, EBADF) fails it too and is thrown from there.
   */
  private static java.nio.channels.FileLock lockFile(FileChannel ch) throws IOException {
    try {
      return ch.lock();
    } catch (IOException e) {
      // fall through to polling; see above
    }
    for (long sleep = 1; ; sleep = Math.min(sleep * 2, 50)) {
      java.nio.channels.FileLock l = ch.tryLock();
      if (l != null) {
        return l;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for a store lock", ie);
      }
    }
  }

  /**
   * Takes the lock only if nobody holds it, in this JVM or another.
   *
   * @return the lock, or {@code null} when it is held elsewhere
   */
  public static StoreLock tryAcquire(Path file) {
    Semaphore lock = IN_JVM.computeIfAbsent(file.toAbsolutePath(), p -> new Semaphore(1));
    if (!lock.tryAcquire()) {
      return null;
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fl = ch.tryLock();
      if (fl != null) {
        return new StoreLock(lock, ch, fl);
      }
    } catch (IOException e) {
      // unreadable or vanished: treat as held, the caller leaves it alone
    }
    closeQuietly(ch);
    lock.release();
    return null;
  }

  @Override
  public void close() {
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // closing the channel releases it anyway
    } finally {
      closeQuietly(channel);
      threadLock.release();
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
