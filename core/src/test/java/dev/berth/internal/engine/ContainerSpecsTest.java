package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.RunOptions;
import dev.berth.SeccompProfile;
import dev.berth.internal.cgroup.CgroupLimits;
import dev.berth.internal.runtime.RuntimeSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Docker's resource and seccomp options as the cgroup limits and seccomp spec a start uses: pure, no root. */
class ContainerSpecsTest {
  private static final long MIB = 1L << 20;

  @Test
  void noLimits_isNone() {
    assertThat(ContainerSpecs.cgroupLimits(RunOptions.Limits.NONE)).isSameAs(CgroupLimits.NONE);
  }

  @Test
  void memory_setsMemoryOnly() {
    CgroupLimits l = ContainerSpecs.cgroupLimits(new RunOptions.Limits(64 * MIB, 0, 0, 0, 0));

    assertThat(l).isEqualTo(new CgroupLimits(64 * MIB, 0, 0, 0, 0, 0));
  }

  @Test
  void unlimitedSwap_isKeptAsMinusOne() {
    CgroupLimits l = ContainerSpecs.cgroupLimits(new RunOptions.Limits(64 * MIB, -1, 0, 0, 0));

    assertThat(l.memorySwapBytes()).isEqualTo(-1);
  }

  @Test
  void cpus_becomeAQuotaPerHundredMillisecondPeriod() {
    CgroupLimits l = ContainerSpecs.cgroupLimits(new RunOptions.Limits(0, 0, 1.5, 0, 0));

    assertThat(l.cpuQuotaMicros()).isEqualTo(150_000);
    assertThat(l.cpuPeriodMicros()).isEqualTo(100_000);
  }

  @Test
  void sharesAndPids_passThrough() {
    CgroupLimits l = ContainerSpecs.cgroupLimits(new RunOptions.Limits(0, 0, 0, 512, 100));

    assertThat(l).isEqualTo(new CgroupLimits(0, 0, 0, 0, 512, 100));
  }

  @Test
  void seccomp_defaultUnconfinedOrAProfileFile() {
    assertThat(ContainerSpecs.seccomp(SeccompProfile.DEFAULT)).isInstanceOf(RuntimeSpec.BuiltInSeccomp.class);
    assertThat(ContainerSpecs.seccomp(SeccompProfile.UNCONFINED)).isInstanceOf(RuntimeSpec.Unconfined.class);
    assertThat(ContainerSpecs.seccomp(SeccompProfile.parse("/etc/profile.json")))
        .isEqualTo(new RuntimeSpec.SeccompProfileFile(Path.of("/etc/profile.json")));
    assertThat(ContainerSpecs.seccomp(SeccompProfile.json("{}")))
        .isEqualTo(new RuntimeSpec.SeccompProfileJson("{}"));
  }
}
