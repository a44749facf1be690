package dev.berth.internal.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupLimitsTest {

  @Test
  void cpus_oneAndAHalf_isQuota150000PerPeriod100000() {
    CgroupLimits limits = CgroupLimits.builder().cpus(1.5).build();

    assertThat(limits.cpuQuotaMicros()).isEqualTo(150_000);
    assertThat(limits.cpuPeriodMicros()).isEqualTo(100_000);
  }

  @Test
  void cpuQuota_withoutPeriod_getsTheDefaultPeriod() {
    assertThat(CgroupLimits.builder().cpuQuota(50_000, 0).build().cpuPeriodMicros())
        .isEqualTo(100_000);
  }

  @ParameterizedTest(name = "{0} shares -> weight {1}")
  @CsvSource({"2, 1", "1024, 39", "512, 20", "262144, 10000", "0, 0"})
  void cpuWeight_convertsSharesLikeRunc(long shares, long weight) {
    assertThat(CgroupLimits.builder().cpuShares(shares).build().cpuWeight()).isEqualTo(weight);
  }

  @Test
  void memory_below6MB_isRefusedLikeDocker() {
    assertThatThrownBy(() -> CgroupLimits.builder().memory(5L << 20).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Minimum memory limit allowed is 6MB")
        .hasMessageContaining("5242880");
  }

  @Test
  void memory_negative_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().memory(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory limit -1");
  }

  @Test
  void memorySwap_withoutMemory_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().memorySwap(64L << 20).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("always set the Memory limit when using Memoryswap limit");
  }

  @Test
  void memorySwap_belowMemory_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().memory(64L << 20).memorySwap(32L << 20).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memoryswap limit should be larger than memory limit");
  }

  @Test
  void memorySwap_minusOne_meansUnlimitedSwap() {
    CgroupLimits limits = CgroupLimits.builder().memory(64L << 20).memorySwap(-1).build();

    assertThat(limits.memorySwapBytes()).isEqualTo(-1);
  }

  @Test
  void memorySwap_setBeforeMemoryInTheBuilder_isAccepted() {
    CgroupLimits limits = CgroupLimits.builder().memorySwap(64L << 20).memory(32L << 20).build();

    assertThat(limits.memorySwapBytes()).isEqualTo(64L << 20);
  }

  @Test
  void cpus_belowOneHundredth_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().cpus(0.001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cpus 0.001")
        .hasMessageContaining("at least 0.01");
  }

  @Test
  void cpuPeriod_outsideOneMillisecondToOneSecond_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().cpuQuota(100_000, 500).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CPU cfs period can not be less than 1ms");
  }

  @Test
  void cpuQuota_belowOneMillisecond_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().cpuQuota(999, 100_000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CPU cfs quota can not be less than 1ms");
  }

  @ParameterizedTest
  @CsvSource({"1", "-5", "262145"})
  void cpuShares_outOfRange_isRefused(long shares) {
    assertThatThrownBy(() -> CgroupLimits.builder().cpuShares(shares).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CPU shares " + shares)
        .hasMessageContaining("2 to 262144");
  }

  @Test
  void pidsMax_negative_isRefused() {
    assertThatThrownBy(() -> CgroupLimits.builder().pidsMax(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pids limit -1");
  }

  @Test
  void none_isEmpty_andAnyLimitIsNot() {
    assertThat(CgroupLimits.NONE.isEmpty()).isTrue();
    assertThat(CgroupLimits.builder().pidsMax(5).build().isEmpty()).isFalse();
  }

  @Test
  void toString_listsOnlyTheLimitsThatAreSet() {
    assertThat(CgroupLimits.builder().memory(64L << 20).cpus(1.5).build())
        .hasToString("CgroupLimits[memory=67108864 cpu=150000/100000]");
  }
}
