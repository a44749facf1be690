package dev.berth.internal.cgroup;

import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.util.List;

/** Sends signals to the processes of a cgroup, with kill(2). */
final class Signals {

  static final int SIGKILL = 9;

  private Signals() {}

  /** @throws IllegalArgumentException when signal is not a Linux signal number */
  static void check(int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("signal " + signal
          + " is not a signal number: use 1 to 64, e.g. 15 (SIGTERM) or 9 (SIGKILL)");
    }
  }

  /**
   * Signals the processes. A process that exits meanwhile makes kill(2) fail for that pid only,
   * which is the outcome wanted; so its failure is not reported.
   */
  static void send(int signal, List<Long> pids) {
    long self = ProcessHandle.current().pid();
    // never pid 1, nor negative (a process group), nor this JVM
    pids.stream().filter(p -> p > 1 && p != self).forEach(p -> {
      try {
        Syscalls.kill(Math.toIntExact(p), signal);
      } catch (LinuxException e) {
        // gone already (ESRCH), or not ours to signal: as kill(1) did, go on with the others
      }
    });
  }
}
