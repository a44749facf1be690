package dev.berth.testsupport;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JVM's child processes, less those that were there at a baseline: shared test registries
 * that other test classes started in this JVM are not a test's leak.
 */
public final class ChildProcesses {
  private final Set<Long> before;

  private ChildProcesses(Set<Long> before) {
    this.before = before;
  }

  /** Records the children alive now. */
  public static ChildProcesses baseline() {
    return new ChildProcesses(ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid).collect(Collectors.toSet()));
  }

  /** @return children alive now that were not at the baseline */
  public List<Long> added() {
    return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
        .map(ProcessHandle::pid).filter(p -> !before.contains(p)).toList();
  }
}
