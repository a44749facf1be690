package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  private static String line(InputStream in) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) buf.write(b);
    return buf.toString(StandardCharsets.UTF_8);
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
  void claimedWithAMissingConfig_reportsTheConfigStage() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of());
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    Process p = spare.claim(tmp.resolve("missing.config"));
    assertThat(line(p.getInputStream())).startsWith("BERTH1 error config 2 ");
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(HelperProtocol.EXIT_SETUP_FAILED);
  }

  @Test
  void aDirThatIsNoCgroup_failsInTheCgroupStage_andIsNeverReady() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of(tmp.resolve("bin"))); // no cgroup.procs there
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isFalse();
    ProcessHandle.of(spare.pid()).ifPresent(h -> h.onExit().join());
    spare.close();
  }
}
