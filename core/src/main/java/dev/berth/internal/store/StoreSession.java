package dev.berth.internal.store;

import dev.berth.internal.util.Log;
import dev.berth.internal.util.Urandom;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link Store}'s private staging area, {@code tmp/s-<hex>/}, alive while its lock file
 * {@code tmp/s-<hex>.lock} is held: staging files and dirs, claims of things being made, trees
 * staged for removal, and the sweep of the sessions of JVMs that are gone. The lock is the only
 * proof of life, so every decision about another session's dir is taken under its lock.
 */
final class StoreSession {
  private static final String CLAIM_PREFIX = "claim-";

  private final StoreLayout layout;
  private final Path dir;
  private final StoreLock lock;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StoreSession(StoreLayout layout, Path dir, StoreLock lock) {
    this.layout = layout;
    this.dir = dir;
    this.lock = lock;
  }

  /** Sweeps abandoned sessions, then starts a new one, locked before its dir exists. */
  static StoreSession start(StoreLayout layout, Store.TreeDeleter sweeper) throws IOException {
    sweepAbandoned(layout, sweeper);
    // Lock first, then create: a sweeping JVM never sees a live session dir with a free lock.
    while (true) {
      Path session = layout.tmpDir().resolve("s-" + Long.toHexString(Urandom.nextLong()));
      Path lockFile = lockFileOf(session);
      StoreLock lock = StoreLock.acquire(lockFile);
      if (!Files.exists(lockFile)) {
        // A sweeper took the free lock file between our open and our lock, and deleted it:
        // we hold a lock nobody else can see. Sweepers delete only under the lock, so after
        // ours the file, if there, is ours.
        lock.close();
        continue;
      }
      Files.createDirectories(session);
      return new StoreSession(layout, session, lock);
    }
  }

  /**
   * Removes staging dirs whose owning store is gone (its lock is free), and lock files left
   * without their dir (a JVM killed between locking and creating it, or while closing).
   */
  private static void sweepAbandoned(StoreLayout layout, Store.TreeDeleter sweeper) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.endsWith(".lock")) {
          Path sessionDir = dir.resolveSibling(name.substring(0, name.length() - ".lock".length()));
          if (!Files.exists(sessionDir, LinkOption.NOFOLLOW_LINKS)) {
            try (StoreLock free = StoreLock.tryAcquire(dir)) {
              if (free != null && !Files.exists(sessionDir, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir); // under the lock: see start
              }
            }
          }
          continue;
        }
        Path lockFile = lockFileOf(dir);
        if (!Files.exists(lockFile) && isRecent(dir)) {
          continue; // its owner may be between creating the lock file and locking it
        }
        try (StoreLock free = StoreLock.tryAcquire(lockFile)) {
          if (free != null) {
            sweeper.delete(dir);
            Files.deleteIfExists(lockFile);
          }
        } catch (RuntimeException e) {
          // One tree that cannot go (a mount that will not let go) must not stop the store opening.
          Log.warning("cannot remove the abandoned staging dir " + dir + ": " + e.getMessage());
        }
      }
    }
  }

  private static boolean isRecent(Path dir) throws IOException {
    return Files.getLastModifiedTime(dir).toInstant().isAfter(Instant.now().minusSeconds(60));
  }

  /** The lock file of session dir {@code session}: {@code tmp/s-<hex>.lock} beside it. */
  static Path lockFileOf(Path session) {
    return session.resolveSibling(session.getFileName() + ".lock");
  }

  Path dir() {
    return dir;
  }

  Path newTempFile(String prefix) {
    try {
      return Files.createTempFile(dir, prefix, ".tmp");
    } catch (IOException e) {
      throw Store.failure("cannot create a staging file in " + dir, layout.home(), e);
    }
  }

  Path newTempDir(String prefix) {
    try {
      return Files.createTempDirectory(dir, prefix);
    } catch (IOException e) {
      throw Store.failure("cannot create a staging directory in " + dir, layout.home(), e);
    }
  }

  /** See {@link Store#claim}. */
  Store.Claim claim(String name) {
    Path marker = dir.resolve(CLAIM_PREFIX + name);
    try {
      Files.createFile(marker);
    } catch (IOException e) {
      throw Store.failure("cannot record in " + dir + " that " + name + " is being made", layout.home(), e);
    }
    return new Store.Claim(marker);
  }

  /** See {@link Store#isClaimed}. */
  boolean isClaimed(String name) {
    String marker = CLAIM_PREFIX + name;
    if (Files.exists(dir.resolve(marker))) {
      return true;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path other : dirs) {
        if (other.equals(dir) || !Files.exists(other.resolve(marker))) {
          continue;
        }
        Path lockFile = lockFileOf(other);
        if (!Files.exists(lockFile)) {
          continue; // its owner closed it, or a sweep is taking it: not live
        }
        try (StoreLock free = StoreLock.tryAcquire(lockFile)) {
          if (free == null) {
            return true; // held: its owner is alive
          }
        }
      }
    } catch (IOException e) {
      throw Store.failure("cannot list the sessions in " + layout.tmpDir(), layout.home(), e);
    }
    return false;
  }

  /** See {@link Store#stage}. */
  Optional<Path> stage(Path tree) {
    Path target = dir.resolve("rm-" + tree.getFileName() + "-" + Long.toHexString(Urandom.nextLong()));
    try {
      Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(target);
    } catch (NoSuchFileException e) {
      // Either the tree is gone (another JVM took it) or the session is: closed by the exit
      // hook while another shutdown hook still removes containers. Then delete it in place.
      return Files.exists(tree, LinkOption.NOFOLLOW_LINKS) ? Optional.of(tree) : Optional.empty();
    } catch (IOException e) {
      return Optional.of(tree);
    }
  }

  /**
   * Deletes the session dir, then its lock file, and only then lets go of the lock: a sweeper
   * that gets the lock finds nothing left. Runs once.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      FileTrees.deleteRecursively(dir);
      Files.deleteIfExists(lockFileOf(dir));
    } catch (IOException | RuntimeException ignored) {
      // swept by the next open, once the lock is free
    } finally {
      lock.close();
    }
  }
}
