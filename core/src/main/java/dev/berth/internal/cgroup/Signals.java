package dev.berth.internal.cgroup;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Sends signals with kill(1): pure Java has no kill(2) for processes it did not start. */
final class Signals {

  static final int SIGKILL = 9;

  private static final String KILL =
      Files.isExecutable(Path.of("/bin/kill")) ? "/bin/kill" : "/usr/bin/kill";

  private Signals() {}

  /** @throws IllegalArgumentException when signal is not a Linux signal number */
  static void check(int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("signal " + signal
          + " is not a signal number: use 1 to 64, e.g. 15 (SIGTERM) or 9 (SIGKILL)");
    }
  }

  /**
   * Signals the processes. A process that exits meanwhile makes kill(1) fail for that pid only,
   * which is the outcome wanted; so its status is not checked.
   */
  static void send(int signal, List<Long> pids) {
    long self = ProcessHandle.current().pid();
    List<String> command = new ArrayList<>(List.of(KILL, "-" + signal));
    // never pid 1, nor negative (a process group), nor this JVM
    pids.stream().filter(p -> p > 1 && p != self).forEach(p -> command.add(p.toString()));
    if (command.size() == 2) {
      return;
    }
    try {
      new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      throw new BerthException("running " + KILL + " failed: " + e.getMessage()
          + "; install procps, which provides kill(1)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("interrupted while signalling " + pids, e);
    }
  }
}
