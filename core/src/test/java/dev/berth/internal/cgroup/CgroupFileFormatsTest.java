package dev.berth.internal.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 controller file formats, which this project's build host (hybrid, no v2 controllers)
 * cannot show for real: a fake cgroup dir of plain files, for the file-format logic only.
 */
class CgroupFileFormatsTest {

  @TempDir Path dir;

  private static final Set<String> ALL = Set.of("memory", "cpu", "pids");

  private CgroupDir v2WithFiles(String... names) throws IOException {
    for (String name : names) {
      Files.writeString(dir.resolve(name), "");
    }
    return new CgroupDir(dir, true, ALL);
  }

  private String file(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  private void fixture(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content);
  }

  @Test
  void apply_v2_writesMemoryCpuAndPidsInV2Units() throws Exception {
    CgroupDir cgroup = v2WithFiles("memory.max", "memory.swap.max", "cpu.max", "cpu.weight",
        "pids.max");
    CgroupLimits limits = CgroupLimits.builder().memory(64L << 20).memorySwap(96L << 20)
        .cpus(1.5).cpuShares(1024).pidsMax(10).build();

    List<String> missing = cgroup.apply(limits);

    assertThat(missing).isEmpty();
    assertThat(file("memory.max")).isEqualTo("67108864");
    assertThat(file("memory.swap.max")).isEqualTo(Long.toString(32L << 20));
    assertThat(file("cpu.max")).isEqualTo("150000 100000");
    assertThat(file("cpu.weight")).isEqualTo("39");
    assertThat(file("pids.max")).isEqualTo("10");
  }

  @Test
  void apply_v2UnlimitedSwap_writesMax() throws Exception {
    CgroupDir cgroup = v2WithFiles("memory.max", "memory.swap.max");

    cgroup.apply(CgroupLimits.builder().memory(64L << 20).memorySwap(-1).build());

    assertThat(file("memory.swap.max")).isEqualTo("max");
  }

  @Test
  void apply_v2WithoutSwapAccounting_reportsTheSwapLimitAsMissing() throws Exception {
    CgroupDir cgroup = v2WithFiles("memory.max");

    List<String> missing =
        cgroup.apply(CgroupLimits.builder().memory(64L << 20).memorySwap(128L << 20).build());

    assertThat(missing).singleElement().asString()
        .contains("memory+swap limit", "memory.swap.max", "swapaccount=1");
    assertThat(file("memory.max")).isEqualTo("67108864");
  }

  @Test
  void apply_missingControllerFile_failsNamingTheFile() throws Exception {
    CgroupDir cgroup = v2WithFiles();

    assertThatThrownBy(() -> cgroup.apply(CgroupLimits.builder().pidsMax(5).build()))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("writing '5' to " + dir.resolve("pids.max"));
  }

  @Test
  void apply_v1_writesMemswAsTheTotalAndMinusOneForUnlimited() throws Exception {
    v2WithFiles("memory.limit_in_bytes", "memory.memsw.limit_in_bytes");
    CgroupDir cgroup = new CgroupDir(dir, false, Set.of("memory"));

    cgroup.apply(CgroupLimits.builder().memory(64L << 20).memorySwap(-1).build());

    assertThat(file("memory.limit_in_bytes")).isEqualTo("67108864");
    assertThat(file("memory.memsw.limit_in_bytes")).isEqualTo("-1");
  }

  @Test
  void stats_v2_readsCurrentMaxCpuStatAndPids() throws Exception {
    fixture("memory.current", "1234567\n");
    fixture("memory.max", "max\n");
    fixture("cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
    fixture("pids.current", "3\n");
    CgroupDir cgroup = new CgroupDir(dir, true, ALL);

    assertThat(cgroup.memoryUsage()).hasValue(1234567);
    assertThat(cgroup.memoryLimit()).isEqualTo(OptionalLong.empty());
    assertThat(cgroup.cpuNanos()).hasValue(1_500_000);
    assertThat(cgroup.pidsCurrent()).hasValue(3);
  }

  @Test
  void memoryLimit_v1Unlimited_isEmpty() throws Exception {
    fixture("memory.limit_in_bytes", "9223372036854771712\n");

    assertThat(new CgroupDir(dir, false, ALL).memoryLimit()).isEmpty();
  }

  @Test
  void oomKilled_v2_readsOomKillFromMemoryEvents() throws Exception {
    fixture("memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");

    assertThat(new CgroupDir(dir, true, ALL).oomKilled()).isTrue();
  }

  @Test
  void oomKilled_v2_isFalseWhenOnlyTheLimitWasHit() throws Exception {
    fixture("memory.events", "low 0\nhigh 0\nmax 12\noom 0\noom_kill 0\n");

    assertThat(new CgroupDir(dir, true, ALL).oomKilled()).isFalse();
  }

  @Test
  void isFrozen_v2_readsFrozenFromCgroupEvents() throws Exception {
    fixture("cgroup.events", "populated 1\nfrozen 1\n");

    assertThat(new CgroupDir(dir, true, ALL).isFrozen()).isTrue();
  }

  @Test
  void readLimit_garbage_failsNamingFileAndContent() throws Exception {
    fixture("memory.max", "lots\n");

    assertThatThrownBy(() -> new CgroupDir(dir, true, ALL).memoryLimit())
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("unexpected content 'lots' in " + dir.resolve("memory.max"));
  }
}
