package dev.berth.testing;

import org.opentest4j.TestAbortedException;

/**
 * The one kind of skip allowed when the suite runs as root: this machine's kernel or hardware
 * cannot show the behaviour (no cgroup v2 controllers, a device the VM does not give). Anything a
 * test can install or set up is not a machine limitation: root must run it ({@link
 * RootRunsEverything} fails a root run that skips any other way).
 *
 * <pre>{@code
 * MachineLacks.assume(host.controllers().contains("memory"),
 *     "cgroup v2 memory controller (this host delegates none to the unified hierarchy)");
 * }</pre>
 */
public final class MachineLacks extends TestAbortedException {
  private static final long serialVersionUID = 1L;

  private MachineLacks(String what) {
    super("this machine lacks " + what);
  }

  /**
   * Skips the test, saying why, unless {@code has}.
   *
   * @param has whether the machine has what the test needs
   * @param what what it lacks and, where it helps, why that is the machine's, not the project's
   * @throws MachineLacks when {@code has} is false
   */
  public static void assume(boolean has, String what) {
    if (!has) {
      // said on stderr too: Surefire counts a class skipped in @BeforeAll as "0 tests run"
      System.err.println("[skipped] this machine lacks " + what);
      throw new MachineLacks(what);
    }
  }
}
