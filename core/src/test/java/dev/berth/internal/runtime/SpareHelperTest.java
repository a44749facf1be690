package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real helper in spare mode ({@code --spare}, see spare.c), without a container. */
class SpareHelperTest {
  @TempDir Path tmp;

  private Path helper() {
    return new HelperBinary(tmp.resolve("bin")).path();
  }

  @Test
  void withoutDirs_saysReady_andEndsQuietlyAtEndOfFile() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of());
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    ProcessHandle h = ProcessHandle.of(spare.pid()).orElseThrow();
    assertThat(h.children().count()).as("its zygote").isEqualTo(1);
    spare.close();
    assertThat(h.isAlive()).isFalse();
  }

  @Test
  void claimedWithAMissingConfig_reportsTheConfigStageOnItsStatusPipe() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of());
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = spare.claim(pipe.path(), tmp.resolve("missing.config"));
      assertThat(pipe.firstLine(p).get(10, TimeUnit.SECONDS)).startsWith("BERTH1 error config 2 ");
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(HelperProtocol.EXIT_SETUP_FAILED);
      assertThat(p.getInputStream().readAllBytes()).as("stdout, after the ready line that SpareHelper read").isEmpty();
    }
  }

  @Test
  void aDirThatIsNoCgroup_failsInTheCgroupStage_andIsNeverReady() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of(tmp.resolve("bin"))); // no cgroup.procs there
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isFalse();
    ProcessHandle.of(spare.pid()).ifPresent(h -> h.onExit().join());
    spare.close();
  }
}
