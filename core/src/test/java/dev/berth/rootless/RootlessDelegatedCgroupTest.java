package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rootless resource limits in a delegated cgroup v1 subtree, the way an administrator delegates
 * one without systemd: this test (as root) makes {@code /sys/fs/cgroup/<controller>/}{@value
 * DelegatedCgroups#PARENT}{@code /run-*} for each controller Berth uses, chowns them to the test user and starts
 * the user's JVM in them ({@link RootlessLimitsScenarioMain}). It removes exactly these dirs
 * afterwards; it touches no other cgroup. Skipped where the host has no v1 hierarchies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessDelegatedCgroupTest {
  private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "cpuacct", "freezer");

  /** The test's own cgroups, removed after the run (whose JVM has exited by then). */
  @AutoClose private final DelegatedCgroups delegated = new DelegatedCgroups();
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioInDelegatedCgroups() throws Exception {
    assumeTrue(Linux.isRoot(), "needs root to make and delegate the test cgroups");
    for (String c : CONTROLLERS) {
      assumeTrue(Files.exists(Path.of("/sys/fs/cgroup", c, "cgroup.procs")),
          "this host has no cgroup v1 hierarchy of " + c + " at /sys/fs/cgroup/" + c);
    }
    RootlessRun.ensureUser();
    List<Path> cgroups = new ArrayList<>();
    for (String c : CONTROLLERS) {
      cgroups.add(delegated.delegate(Path.of("/sys/fs/cgroup", c)));
    }
    run = RootlessRun.startInCgroups(RootlessLimitsScenarioMain.class, cgroups);
    said = run.said();
  }

  @Test
  void info_saysLimitsArePossible() {
    assertThat(said.get("limits.possible")).isEqualTo("true ");
  }

  @Test
  void memoryLimit_isOomKilledWith137() {
    assertThat(said.get("memory.exit")).isEqualTo("137 true");
  }

  @Test
  void pidsLimit_stopsAForkLoop() {
    assertThat(said.get("pids.result")).doesNotStartWith("0 ").doesNotContain("all forked")
        .contains("can't fork");
  }

  @Test
  void stats_andPause_work() {
    assertThat(said.get("stats")).isEqualTo((64L << 20) + " true 1 false");
    assertThat(said.get("pause")).isEqualTo("PAUSED");
  }

  @Test
  void nothingIsLeftAfterRemoval() {
    assertThat(said.get("cgroups.left")).isEmpty();
  }
}
