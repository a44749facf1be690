package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rootless resource limits in a delegated cgroup v1 subtree, the way an administrator delegates
 * one without systemd: this test (as root) makes {@code /sys/fs/cgroup/<controller>/}{@value
 * #PARENT}{@code /<n>} for each controller Berth uses, chowns them to the test user and starts
 * the user's JVM in them ({@link RootlessLimitsScenarioMain}). It removes exactly these dirs
 * afterwards; it touches no other cgroup. Skipped where the host has no v1 hierarchies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessDelegatedCgroupTest {
  private static final String PARENT = "berth-delegated-test";
  private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu", "cpuacct", "freezer");

  private final List<Path> made = new ArrayList<>();
  private RootlessRun run;
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
      Path parent = Path.of("/sys/fs/cgroup", c, PARENT);
      if (!Files.isDirectory(parent)) {
        Files.createDirectory(parent);
        made.add(parent);
      }
      Path mine = Files.createTempDirectory(parent, "run-");
      made.add(mine);
      exec("chown", "-R", RootlessRun.USER + ":" + RootlessRun.USER, mine.toString());
      cgroups.add(mine);
    }
    run = RootlessRun.startInCgroups(RootlessLimitsScenarioMain.class, cgroups);
    said = run.said();
  }

  @AfterAll
  void removeTheTestCgroups() throws Exception {
    try {
      if (run != null) {
        run.close();
      }
    } finally {
      // deepest first: the user's berth/<id> dirs (if any were left), berth, the run dir, the parent
      List<Path> all = new ArrayList<>();
      for (Path p : made) {
        if (Files.isDirectory(p)) {
          try (Stream<Path> s = Files.walk(p)) {
            s.filter(Files::isDirectory).forEach(all::add);
          }
        }
      }
      all.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(d -> {
        try {
          Files.deleteIfExists(d); // rmdir: cgroupfs removes the control files with the dir
        } catch (IOException e) {
          System.err.println("could not remove test cgroup " + d + ": " + e);
        }
      });
    }
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

  private static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
