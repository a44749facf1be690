package dev.berth.internal.cgroup;

import static dev.berth.internal.cgroup.CgroupFixture.assumeCgroups;
import static dev.berth.internal.cgroup.CgroupFixture.exitCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.testing.MachineLacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real cgroups and real processes, as root. Lifecycle tests run on three views of the host: as
 * detected, its v1 hierarchies alone, and its unified hierarchy alone (a pure-v2 host; on a hybrid
 * host without controllers).
 */
class ContainerCgroupTest {

  @TempDir Path tmp;
  private CgroupFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new CgroupFixture(tmp);
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  static Stream<Named<Function<CgroupHost, CgroupHost>>> views() {
    return Stream.of(
        Named.of("detected host", Function.identity()),
        Named.of("v1 hierarchies only", CgroupHost::withoutUnified),
        Named.of("unified hierarchy only", CgroupHost::unifiedOnly));
  }

  private static CgroupHost hostWith(String controller) {
    CgroupHost host = assumeCgroups(Function.identity());
    MachineLacks.assume(host.controllers().contains(controller),
        "a " + controller + " controller Berth may use (it has " + host.controllers() + ")");
    return host;
  }

  private static Path dirServing(ContainerCgroup cgroup, CgroupHost host, String controller) {
    return host.layout(cgroup.id()).stream().filter(d -> d.serves(controller))
        .map(CgroupDir::path).findFirst().orElseThrow();
  }

  @Test
  void memoryLimit_processAllocatingPastIt_isOomKilled() throws Exception {
    CgroupHost host = hostWith("memory");
    ContainerCgroup cgroup = fixture.create(host,
        CgroupLimits.builder().memory(20L << 20).memorySwap(20L << 20).build());

    Process dd = fixture.start(cgroup, "exec dd if=/dev/zero of=/dev/null bs=100M count=1");

    assertThat(exitCode(dd)).as("128 + SIGKILL").isEqualTo(137);
    assertThat(cgroup.oomKilled()).isTrue();
  }

  @Test
  void oomKilled_processWithinItsLimit_isFalse() throws Exception {
    CgroupHost host = hostWith("memory");
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.builder().memory(64L << 20).build());

    Process dd = fixture.start(cgroup, "exec dd if=/dev/zero of=/dev/null bs=1M count=1");

    assertThat(exitCode(dd)).isZero();
    assertThat(cgroup.oomKilled()).isFalse();
  }

  @Test
  void pidsLimit_forkLoop_stopsAtTheLimit() throws Exception {
    CgroupHost host = hostWith("pids");
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.builder().pidsMax(10).build());

    Process loop = fixture.start(cgroup, "for i in $(seq 50); do sleep 5 & done; wait");

    assertThat(CgroupDir.poll(5000, () -> output(loop).contains("fork"))).as(
        "a fork failure is reported").isTrue();
    assertThat(cgroup.stats().pidsCurrent().orElseThrow()).isBetween(1L, 10L);
    assertThat(cgroup.pids()).hasSizeLessThanOrEqualTo(10);
  }

  @Test
  void cpuLimits_areWrittenToTheCpuController() throws Exception {
    CgroupHost host = hostWith("cpu");
    ContainerCgroup cgroup = fixture.create(host,
        CgroupLimits.builder().cpus(1.5).cpuShares(512).build());

    Path dir = dirServing(cgroup, host, "cpu");
    if (dir.startsWith(host.v2Parent().orElse(Path.of("/nonexistent")))) {
      assertThat(Files.readString(dir.resolve("cpu.max")).strip()).isEqualTo("150000 100000");
      assertThat(Files.readString(dir.resolve("cpu.weight")).strip()).isEqualTo("20");
    } else {
      assertThat(Files.readString(dir.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("150000");
      assertThat(Files.readString(dir.resolve("cpu.cfs_period_us")).strip()).isEqualTo("100000");
      assertThat(Files.readString(dir.resolve("cpu.shares")).strip()).isEqualTo("512");
    }
  }

  @Test
  void cpuQuota_busyLoop_getsAboutItsQuota() throws Exception {
    CgroupHost host = hostWith("cpu");
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.builder().cpus(0.1).build());
    fixture.start(cgroup, "while :; do :; done");

    long before = cgroup.stats().cpuTimeNanos().orElseThrow();
    Thread.sleep(1000);
    long used = cgroup.stats().cpuTimeNanos().orElseThrow() - before;

    // unthrottled, the loop would get most of a second; 0.1 CPU allows about 100 ms
    assertThat(used).isBetween(1_000_000L, 200_000_000L);
  }

  @Test
  void stats_runningProcess_reportsPlausibleNumbers() throws Exception {
    CgroupHost host = hostWith("memory");
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.builder().memory(64L << 20).build());
    Process process =
        fixture.start(cgroup, "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exec sleep 30");
    // v1 charges only memory allocated after joining: the exec's fresh pages
    assertThat(CgroupDir.poll(5000, () -> read(Path.of("/proc/" + process.pid() + "/comm"))
        .strip().equals("sleep"))).as("reached sleep").isTrue();

    CgroupStats stats = cgroup.stats();

    assertThat(stats.memoryLimitBytes()).hasValue(64L << 20);
    assertThat(stats.memoryUsageBytes().orElseThrow()).isBetween(1L, 64L << 20);
    assertThat(stats.cpuTimeNanos().orElseThrow()).isPositive();
    if (host.controllers().contains("pids")) {
      assertThat(stats.pidsCurrent()).hasValue(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("views")
  void freeze_stopsTheProcess_andThawResumesIt(Function<CgroupHost, CgroupHost> view)
      throws Exception {
    CgroupHost host = assumeCgroups(view);
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Path counter = tmp.resolve("counter");
    fixture.start(cgroup, "i=0; while :; do i=$((i+1)); echo $i > " + counter + "; done");
    assertThat(CgroupDir.poll(5000, () -> Files.exists(counter))).isTrue();

    cgroup.freeze();
    String frozenAt = Files.readString(counter);
    Thread.sleep(300);

    assertThat(cgroup.isFrozen()).isTrue();
    assertThat(Files.readString(counter)).isEqualTo(frozenAt);
    cgroup.thaw();
    assertThat(CgroupDir.poll(5000, () -> !read(counter).equals(frozenAt))).as("counting again")
        .isTrue();
    assertThat(cgroup.isFrozen()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("views")
  void killAll_sigterm_endsEveryProcessWithSigterm(Function<CgroupHost, CgroupHost> view)
      throws Exception {
    CgroupHost host = assumeCgroups(view);
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process sleeper = fixture.start(cgroup, "exec sleep 60");

    cgroup.killAll(15);

    assertThat(exitCode(sleeper)).as("128 + SIGTERM").isEqualTo(143);
    assertThat(cgroup.isFrozen()).as("frozen only while signalling").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("views")
  void killAll_sigkill_endsEveryProcessAndItsChildren(Function<CgroupHost, CgroupHost> view)
      throws Exception {
    CgroupHost host = assumeCgroups(view);
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process parent = fixture.start(cgroup, "sleep 60 & sleep 60 & wait");
    assertThat(CgroupDir.poll(5000, () -> cgroup.pids().size() == 3)).isTrue();

    cgroup.killAll(9);

    assertThat(exitCode(parent)).isEqualTo(137);
    assertThat(CgroupDir.poll(5000, () -> cgroup.pids().isEmpty())).isTrue();
  }

  @Test
  void killAll_leavesProcessesOutsideTheCgroupAlone() throws Exception {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process inside = fixture.start(cgroup, "exec sleep 60");
    Process outside = new ProcessBuilder("sleep", "60").start();
    try {
      cgroup.killAll(9);

      assertThat(exitCode(inside)).isEqualTo(137);
      assertThat(outside.isAlive()).isTrue();
    } finally {
      outside.destroyForcibly();
    }
  }

  @Test
  void detect_onThisHost_findsRealCgroupMounts() {
    CgroupHost host = assumeCgroups(Function.identity());

    assertThat(host.v1Mounts().values()).allSatisfy(
        mount -> assertThat(mount.resolve("cgroup.procs")).exists());
    assertThat(host.unifiedMount()).hasValueSatisfying(
        mount -> assertThat(mount.resolve("cgroup.procs")).exists());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("views")
  void destroy_killsEverythingAndRemovesEveryDir(Function<CgroupHost, CgroupHost> view)
      throws Exception {
    CgroupHost host = assumeCgroups(view);
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process parent = fixture.start(cgroup, "sleep 60 & exec sleep 60");

    cgroup.destroy();

    assertThat(exitCode(parent)).isEqualTo(137);
    assertThat(cgroup.joinPaths()).isNotEmpty().allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(host.berthParents()).allSatisfy(
        parent2 -> assertThat(parent2.resolve(cgroup.id())).doesNotExist());
  }

  @Test
  void destroy_frozenContainer_stillKillsAndRemovesIt() throws Exception {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process sleeper = fixture.start(cgroup, "exec sleep 60");
    cgroup.freeze();

    cgroup.destroy();

    assertThat(exitCode(sleeper)).isEqualTo(137);
    assertThat(cgroup.joinPaths()).allSatisfy(p -> assertThat(p).doesNotExist());
  }

  @Test
  void destroy_twice_isQuietTheSecondTime() {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    cgroup.destroy();

    cgroup.destroy();

    assertThat(cgroup.joinPaths()).allSatisfy(p -> assertThat(p).doesNotExist());
  }

  @Test
  void create_existingId_throwsNamingTheDir() {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);

    assertThatThrownBy(() -> ContainerCgroup.create(host, cgroup.id(), CgroupLimits.NONE, false))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("already exists at " + cgroup.joinPaths().get(0));
  }

  @Test
  void open_idOfAnExistingCgroup_findsTheSameDirsAndProcesses() throws Exception {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup cgroup = fixture.create(host, CgroupLimits.NONE);
    Process sleeper = fixture.start(cgroup, "exec sleep 60");

    ContainerCgroup opened = ContainerCgroup.open(host, cgroup.id()).orElseThrow();

    assertThat(opened.joinPaths()).isEqualTo(cgroup.joinPaths());
    assertThat(opened.pids()).containsExactly(sleeper.pid());
  }

  @Test
  void open_unknownId_isEmpty() {
    CgroupHost host = assumeCgroups(Function.identity());

    assertThat(ContainerCgroup.open(host, CgroupFixture.newId())).isEmpty();
  }

  @Test
  void sweep_removesOnlyTheCgroupsOfDeadContainers() throws Exception {
    CgroupHost host = assumeCgroups(Function.identity());
    ContainerCgroup dead = fixture.create(host, CgroupLimits.NONE);
    ContainerCgroup live = fixture.create(host, CgroupLimits.NONE);
    Process orphan = fixture.start(dead, "exec sleep 60");

    // every other cgroup counts as live: this test must not touch what it did not create
    List<String> removed = ContainerCgroup.sweep(host, id -> !id.equals(dead.id()));

    assertThat(removed).containsExactly(dead.id());
    assertThat(exitCode(orphan)).isEqualTo(137);
    assertThat(dead.joinPaths()).allSatisfy(p -> assertThat(p).doesNotExist());
    assertThat(live.joinPaths()).allSatisfy(p -> assertThat(p).isDirectory());
  }

  @Test
  void create_limitOnUnifiedHierarchyWithoutItsController_throwsUnsupported() {
    CgroupHost host = assumeCgroups(CgroupHost::unifiedOnly);
    assumeTrue(!host.v2Controllers().contains("memory"),
        "this host's unified hierarchy has the memory controller, so the limit would apply");
    String id = CgroupFixture.newId();

    assertThatThrownBy(() -> ContainerCgroup.create(host, id,
        CgroupLimits.builder().memory(64L << 20).build(), false))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("memory limit 67108864")
        .hasMessageContaining("cgroup.controllers")
        .hasMessageContaining("Delegate=yes");
    assertThat(host.v2Parent().orElseThrow().resolve(id)).doesNotExist();
  }

  @Test
  void create_limitOnUnifiedHierarchyWithoutItsController_bestEffort_listsItAsNotApplied() {
    CgroupHost host = assumeCgroups(CgroupHost::unifiedOnly);
    assumeTrue(!host.v2Controllers().contains("pids"),
        "this host's unified hierarchy has the pids controller, so the limit would apply");

    ContainerCgroup cgroup = fixture.track(ContainerCgroup.create(host, CgroupFixture.newId(),
        CgroupLimits.builder().pidsMax(10).build(), true));

    assertThat(cgroup.notApplied()).singleElement().asString().startsWith("pids limit 10");
    assertThat(cgroup.joinPaths()).singleElement().satisfies(p -> assertThat(p).isDirectory());
  }

  private String output(Process process) {
    return read(fixture.outputFile(process));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
