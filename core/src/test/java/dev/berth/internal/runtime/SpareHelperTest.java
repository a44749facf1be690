package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.net.NetworkCapabilities;
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

  /** As root the zygote's network namespace is made ahead, and with --slirp the spare serves it. */
  @Test
  void withSlirp_startsItAheadForTheZygotesNamespace_andEndsItAtEndOfFile() throws Exception {
    assumeTrue(dev.berth.internal.linux.Linux.isRoot(), "the zygote makes a network namespace ahead only as root");
    Path slirp = NetworkCapabilities.slirp().orElse(null);
    assumeTrue(slirp != null, "needs slirp4netns and access to /dev/net/tun");
    SpareHelper spare = SpareHelper.start(helper(), List.of(), new SpareHelper.Slirp(slirp, tmp));
    assertThat(spare.awaitReady(Duration.ofSeconds(10))).isTrue();
    ProcessHandle h = ProcessHandle.of(spare.pid()).orElseThrow();
    List<ProcessHandle> children = h.children().toList();
    assertThat(children).as("its zygote and slirp4netns").hasSize(2);
    ProcessHandle zygote = children.stream().filter(c -> !c.info().command().orElse("").endsWith("slirp4netns")).findFirst().orElseThrow();
    ProcessHandle s = children.stream().filter(c -> c.info().command().orElse("").endsWith("slirp4netns")).findFirst().orElseThrow();
    assertThat(String.join(" ", s.info().arguments().orElseThrow())).contains("/proc/" + zygote.pid() + "/ns/net");
    try (java.util.stream.Stream<Path> left = java.nio.file.Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("its log has no name yet").containsExactly("bin");
    }
    spare.close();
    assertThat(h.isAlive()).isFalse();
    assertThat(s.isAlive()).isFalse();
  }

  /** slirp4netns started ahead is best effort: one that fails, or no place for its log, leaves a spare without it. */
  @Test
  void withASlirp4netnsThatFails_orNowhereForItsLog_isReadyWithoutIt() throws Exception {
    Path slirp = NetworkCapabilities.slirp().orElse(Path.of("/bin/true"));
    for (SpareHelper.Slirp bad : List.of(new SpareHelper.Slirp(Path.of("/bin/false"), tmp),
        new SpareHelper.Slirp(slirp, tmp.resolve("missing")))) {
      SpareHelper spare = SpareHelper.start(helper(), List.of(), bad);
      assertThat(spare.awaitReady(Duration.ofSeconds(10))).as("%s", bad).isTrue();
      ProcessHandle h = ProcessHandle.of(spare.pid()).orElseThrow();
      assertThat(h.children().filter(ProcessHandle::isAlive).count()).as("%s: only its zygote", bad).isEqualTo(1);
      spare.close();
      assertThat(h.isAlive()).isFalse();
    }
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
