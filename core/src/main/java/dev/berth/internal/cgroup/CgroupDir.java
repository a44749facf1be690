package dev.berth.internal.cgroup;

import static dev.berth.internal.cgroup.CgroupFiles.readKey;
import static dev.berth.internal.cgroup.CgroupFiles.readLimit;
import static dev.berth.internal.cgroup.CgroupFiles.readLong;

import dev.berth.BerthException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One directory of a container's cgroup, and the file formats of its version: the only class
 * that knows v1 and v2 file names apart.
 *
 * @param path the cgroup directory
 * @param unified whether it is on the cgroup2 hierarchy
 * @param controllers the controllers Berth uses through this dir
 */
record CgroupDir(Path path, boolean unified, Set<String> controllers) {

  CgroupDir {
    controllers = Set.copyOf(controllers);
  }

  boolean serves(String controller) {
    return controllers.contains(controller);
  }

  boolean exists() {
    return Files.isDirectory(path);
  }

  List<Long> pids() {
    return CgroupFiles.pids(path);
  }

  /**
   * Writes the limits this dir's controllers can hold.
   *
   * @return descriptions of limits that the kernel cannot hold here, with what to do
   */
  List<String> apply(CgroupLimits limits) {
    List<String> missing = new ArrayList<>();
    if (serves("memory") && limits.memoryBytes() > 0) {
      write(unified ? "memory.max" : "memory.limit_in_bytes", limits.memoryBytes());
      if (limits.memorySwapBytes() != 0) {
        applySwap(limits, missing);
      }
    }
    if (serves("cpu")) {
      applyCpu(limits);
    }
    if (serves("pids") && limits.pidsMax() > 0) {
      write("pids.max", limits.pidsMax());
    }
    return missing;
  }

  private void applySwap(CgroupLimits limits, List<String> missing) {
    Path file = path.resolve(unified ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
    if (!Files.exists(file)) {
      missing.add("memory+swap limit " + limits.memorySwapBytes() + ": " + file
          + " does not exist, so this kernel does not account swap; boot it with swapaccount=1,"
          + " or leave memory+swap unset");
      return;
    }
    long total = limits.memorySwapBytes();
    if (unified) {
      // v2 limits swap alone, not memory plus swap
      CgroupFiles.write(file, total == -1 ? "max" : Long.toString(total - limits.memoryBytes()));
    } else {
      CgroupFiles.write(file, Long.toString(total));
    }
  }

  private void applyCpu(CgroupLimits limits) {
    if (limits.cpuQuotaMicros() > 0) {
      if (unified) {
        CgroupFiles.write(path.resolve("cpu.max"),
            limits.cpuQuotaMicros() + " " + limits.cpuPeriodMicros());
      } else {
        write("cpu.cfs_period_us", limits.cpuPeriodMicros());
        write("cpu.cfs_quota_us", limits.cpuQuotaMicros());
      }
    }
    if (limits.cpuShares() > 0) {
      if (unified) {
        write("cpu.weight", limits.cpuWeight());
      } else {
        write("cpu.shares", limits.cpuShares());
      }
    }
  }

  private void write(String file, long value) {
    CgroupFiles.write(path.resolve(file), Long.toString(value));
  }

  OptionalLong memoryUsage() {
    return OptionalLong.of(readLong(path.resolve(unified ? "memory.current"
        : "memory.usage_in_bytes")));
  }

  OptionalLong memoryLimit() {
    return readLimit(path.resolve(unified ? "memory.max" : "memory.limit_in_bytes"));
  }

  /** Needs cpuacct on v1; cpu.stat is a core file on v2. */
  OptionalLong cpuNanos() {
    if (unified) {
      return OptionalLong.of(readKey(path.resolve("cpu.stat"), "usage_usec") * 1000);
    }
    return OptionalLong.of(readLong(path.resolve("cpuacct.usage")));
  }

  OptionalLong pidsCurrent() {
    return OptionalLong.of(readLong(path.resolve("pids.current")));
  }

  /** Needs the memory controller: the kernel's count of OOM kills in this cgroup. */
  boolean oomKilled() {
    return readKey(path.resolve(unified ? "memory.events" : "memory.oom_control"), "oom_kill") > 0;
  }

  boolean canFreeze() {
    return unified ? Files.exists(path.resolve("cgroup.freeze")) : serves("freezer");
  }

  boolean isFrozen() {
    if (unified) {
      return readKey(path.resolve("cgroup.events"), "frozen") == 1;
    }
    return CgroupFiles.read(path.resolve("freezer.state")).equals("FROZEN");
  }

  /**
   * Freezes or thaws, and waits until the kernel says it is done: a freeze completes only when
   * every task has stopped.
   *
   * @throws BerthException when the state is not reached within the timeout
   */
  void setFrozen(boolean frozen, long timeoutMillis) {
    Runnable request = unified
        ? () -> CgroupFiles.write(path.resolve("cgroup.freeze"), frozen ? "1" : "0")
        // v1 can stall in FREEZING; writing again retries the tasks that were busy
        : () -> CgroupFiles.write(path.resolve("freezer.state"), frozen ? "FROZEN" : "THAWED");
    request.run();
    boolean done = poll(timeoutMillis, () -> {
      if (isFrozen() == frozen) {
        return true;
      }
      if (!unified) {
        request.run();
      }
      return false;
    });
    if (!done) {
      throw new BerthException((frozen ? "freezing " : "thawing ") + path + " did not complete in "
          + timeoutMillis + " ms; a process may be stuck in uninterruptible I/O. Try again later");
    }
  }

  /** @return whether the kernel can kill everything in this dir with one write (Linux 5.14+) */
  boolean canKillAll() {
    return unified && Files.exists(path.resolve("cgroup.kill"));
  }

  /** SIGKILLs every process in this cgroup and its children, new forks included. */
  void killAll() {
    CgroupFiles.write(path.resolve("cgroup.kill"), "1");
  }

  /**
   * Removes this dir and any child cgroups the container made, deepest first. Retries while the
   * kernel still counts exiting tasks (EBUSY).
   */
  void remove(long timeoutMillis) {
    List<Path> dirs = subdirsDeepestFirst();
    for (Path dir : dirs) {
      BerthException[] last = new BerthException[1];
      if (!poll(timeoutMillis, () -> rmdir(dir, last))) {
        throw last[0];
      }
    }
  }

  private List<Path> subdirsDeepestFirst() {
    try (Stream<Path> walk = Files.walk(path)) {
      return walk.filter(Files::isDirectory)
          .sorted((a, b) -> Integer.compare(b.getNameCount(), a.getNameCount()))
          .toList();
    } catch (UncheckedIOException | IOException e) {
      return exists() ? List.of(path) : List.of();
    }
  }

  /**
   * rmdir, decided by errno (the message's words depend on the locale): EBUSY is retried (a task
   * is still leaving), ENOENT means done.
   */
  private static boolean rmdir(Path dir, BerthException[] last) {
    try {
      Syscalls.unlinkat(Fcntl.AT_FDCWD, dir.toString(), Fcntl.AT_REMOVEDIR);
      return true;
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) {
        return true;
      }
      boolean busy = e.errno() == Errno.EBUSY;
      last[0] = new BerthException("removing cgroup " + dir + " failed: " + e.getMessage()
          + (busy ? "; a process may still be in it (see its cgroup.procs)" : ""), e);
      if (busy) {
        return false;
      }
      throw last[0];
    }
  }

  /** @return whether the condition became true before the timeout */
  static boolean poll(long timeoutMillis, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException("interrupted while waiting for a cgroup change", e);
      }
    }
    return true;
  }
}
