package dev.berth.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.testing.TestRegistry;

/** Skips, saying why, when the machine lacks what a test needs. */
final class Assume {
  private Assume() {}

  static void registry() {
    assumeTrue(TestRegistry.available(), "needs the docker-registry binary (scripts/lib/deps.sh)");
  }

  static void rootAndRegistry() {
    registry();
    assumeTrue("root".equals(System.getProperty("user.name")),
        "runs containers: needs root (the rootless tests are in core)");
  }

  static void tmux() {
    rootAndRegistry();
    assumeTrue(new java.io.File("/usr/bin/tmux").canExecute(),
        "drives a real terminal through tmux: apt-get install tmux (scripts/lib/deps.sh)");
  }
}
