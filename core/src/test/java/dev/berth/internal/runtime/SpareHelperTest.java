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
    SpareHelper spare = SpareHelper.start(helper(), List.of(), null);
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    ProcessHandle h = ProcessHandle.of(spare.pid()).orElseThrow();
    assertThat(h.children().count()).as("its zygote").isEqualTo(1);
    spare.close();
    assertThat(h.isAlive()).isFalse();
  }

  @Test
  void claimedWithAMissingConfig_reportsTheConfigStageOnItsStatusPipe() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of(), null);
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = spare.claim(pipe.path(), tmp.resolve("missing.config"));
      assertThat(pipe.firstLine(p, Duration.ofSeconds(10))).startsWith("BERTH1 error config 2 ");
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(HelperProtocol.EXIT_SETUP_FAILED);
      assertThat(p.getInputStream().readAllBytes()).as("stdout, after the ready line that SpareHelper read").isEmpty();
    }
  }

  @Test
  void aDirThatIsNoCgroup_failsInTheCgroupStage_andIsNeverReady() throws Exception {
    SpareHelper spare = SpareHelper.start(helper(), List.of(tmp.resolve("bin")), null); // no cgroup.procs there
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isFalse();
    ProcessHandle.of(spare.pid()).ifPresent(h -> h.onExit().join());
    assertThat(spare.isReady()).as("what the pool asks of every spare it holds").isFalse();
    spare.close();
  }

  /** The claim is its length in five digits, then two lines (spare.c): anything else is refused. */
  @Test
  void aMalformedOrCutClaim_endsTheSpareWithAConfigError() throws Exception {
    String longPath = "/" + "x".repeat(4499); // over PATH_MAX, under the claim's 8192 bytes
    for (String claim : List.of("abcde/s\n/c\n", "00050/s\n/c\n", "00004/s/c", "00003/s\n", "00006/s\n/c", "00007/s\n\n/c\n",
        "09999" + "/".repeat(9999), "04504" + longPath + "\n/c\n")) {
      Process p = new ProcessBuilder(helper().toString(), "--spare").start();
      java.io.InputStream out = p.getInputStream();
      assertThat(HelperProtocol.readStatusLine(out)).isEqualTo("BERTH1 ready");
      p.getOutputStream().write(claim.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      p.getOutputStream().close(); // a claim cut short ends at end-of-file
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as(claim).isTrue();
      String said = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          + new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(claim).isEqualTo(HelperProtocol.EXIT_SETUP_FAILED);
      assertThat(said).as(claim).startsWith("BERTH1 error config ")
          .containsAnyOf("malformed claim", "cut short", "too long");
    }
  }
}
