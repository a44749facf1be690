package dev.berth.internal.store;

import dev.berth.BerthException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An exclusive flock(2) on a file, for locks taken on every start and removal of a container
 * (its {@code start.lock}). Each acquire opens the file anew, and flock locks belong to the open
 * file, so one excludes other threads of this JVM as well as other JVMs: unlike {@link StoreLock}
 * (fcntl locks, which belong to the process), it needs no in-JVM semaphore, so nothing is kept
 * per file, and it costs an open, a flock and a close. The fd is close-on-exec: a helper spawned
 * meanwhile does not hold it.
 */
public final class FileFlock implements AutoCloseable {
  private final int fd;

  private FileFlock(int fd) {
    this.fd = fd;
  }

  /**
   * Blocks until the lock on {@code file}, in a directory that is not made again, is held.
   *
   * @return the lock, or empty when the directory is gone (removed meanwhile)
   */
  public static Optional<FileFlock> acquireInExisting(Path file) {
    int fd;
    try {
      fd = Syscalls.openat(Fcntl.AT_FDCWD, file.toString(), Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_CLOEXEC, 0644);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) return Optional.empty();
      throw failure(file, e);
    }
    while (true) {
      try {
        Syscalls.flock(fd, Fcntl.LOCK_EX, file.toString());
        return Optional.of(new FileFlock(fd));
      } catch (LinuxException e) {
        if (e.errno() != Errno.EINTR) {
          Syscalls.closeQuietly(fd);
          throw failure(file, e);
        }
      }
    }
  }

  private static BerthException failure(Path file, LinuxException e) {
    return new BerthException("cannot lock " + file + ": " + e.getMessage() + "; check that BERTH_HOME is writable", e);
  }

  /** Lets go: the close ends the lock. */
  @Override
  public void close() {
    Syscalls.closeQuietly(fd);
  }
}
