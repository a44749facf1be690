package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.cgroup.Cgroups;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource limits, stats, pause and security options through RunOptions. */
class ContainerLimitsTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;

  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "cgroups and capabilities as root");
    assumeTrue(Cgroups.detect().canCreate(), "this host does not let Berth create cgroups: "
        + Cgroups.detect().problem());
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void memoryLimit_processAllocatingPastIt_isOomKilledWith137() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().memory(20L << 20).memorySwap(20L << 20)
        .command("dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1").build())) {
      assertThat(c.waitFor()).isEqualTo(137);
      assertThat(c.inspect().oomKilled()).isTrue();
    }
  }

  @Test
  void withinItsMemoryLimit_isNotOomKilled() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().memory(64L << 20).command("true").build())) {
      assertThat(c.waitFor()).isZero();
      assertThat(c.inspect().oomKilled()).isFalse();
    }
  }

  @Test
  void pidsLimit_stopsAForkLoop() throws Exception {
    LimitChecks.assertStoppedByPidsLimit(busybox, "", c -> { });
  }

  @Test
  void stats_reportMemoryCpuAndPids_andPauseFreezes() throws Exception {
    LimitChecks.assertStatsAndPause(busybox, c -> { }, c -> { });
  }

  @Test
  void remove_leavesNoCgroupBehind() throws Exception {
    String id;
    try (Container c = busybox.run(RunOptions.builder().memory(32L << 20).command("sleep", "30").build())) {
      id = c.id();
      assertThat(cgroupDirs(id)).isNotEmpty();
    }
    assertThat(cgroupDirs(id)).isEmpty();
  }

  @Test
  void autoRemove_aCgroupItsMonitorCannotRemove_keepsTheRecord_thatRemoveCleansUp() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "60").start(); // ours: a process the container did not make
    try {
      Container c = busybox.run(RunOptions.builder().autoRemove(true).command("sleep", "1").build());
      String id = c.id();
      Path pids = cgroupDirs(id).stream().filter(d -> d.toString().contains("/pids/")).findFirst().orElseThrow();
      Files.writeString(pids.resolve("cgroup.procs"), Long.toString(stranger.pid()));
      assertThat(c.waitFor()).isZero();
      // the monitor could not remove the busy cgroup, so it kept the record that owns it
      assertThat(berth.containers(true)).anyMatch(i -> i.id().equals(id));
      assertThat(cgroupDirs(id)).contains(pids);
      c.close(); // the engine's remove kills what is in the cgroup, as for any container
      assertThat(stranger.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(cgroupDirs(id)).isEmpty();
      assertThat(berth.containers(true)).noneMatch(i -> i.id().equals(id));
    } finally {
      stranger.destroyForcibly().waitFor();
    }
  }

  @Test
  void readOnlyRootfs_refusesWrites() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().readOnlyRootfs(true)
        .command("sh", "-c", "touch /x 2>&1; echo $?").build())) {
      assertThat(new String(c.getInputStream().readAllBytes())).contains("Read-only file system");
    }
  }

  @Test
  void capDropAndPrivileged_changeWhatRootMayDo() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().capDrop("CHOWN")
        .command("sh", "-c", "chown 1 /tmp 2>&1; echo $?").build())) {
      assertThat(new String(c.getInputStream().readAllBytes())).endsWith("1\n");
    }
    try (Container c = busybox.run(RunOptions.builder().privileged(true)
        .command("sh", "-c", "mount -t tmpfs none /tmp && echo mounted").build())) {
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("mounted\n");
    }
    try (Container c = busybox.run(RunOptions.builder()
        .command("sh", "-c", "mount -t tmpfs none /tmp 2>&1; grep -E 'Seccomp:|NoNewPrivs' /proc/self/status").build())) {
      String out = new String(c.getInputStream().readAllBytes());
      assertThat(out).contains("NoNewPrivs:\t1").contains("Seccomp:\t2").doesNotContain("mounted");
    }
  }

  /**
   * The container's dirs under Berth's parents (v2: /sys/fs/cgroup/berth; v1 and hybrid: one per
   * hierarchy). Not a walk of all of /sys/fs/cgroup: other tests' cgroups vanish meanwhile.
   */
  private static java.util.List<Path> cgroupDirs(String id) throws Exception {
    java.util.List<Path> found = new java.util.ArrayList<>();
    Path root = Path.of("/sys/fs/cgroup");
    try (var s = Files.list(root)) {
      s.map(h -> h.resolve("berth").resolve(id)).filter(Files::isDirectory).forEach(found::add);
    }
    if (Files.isDirectory(root.resolve("berth").resolve(id))) {
      found.add(root.resolve("berth").resolve(id));
    }
    return found;
  }
}
