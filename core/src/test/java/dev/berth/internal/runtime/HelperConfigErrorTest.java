package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real helper with bad configs and reads its status line and exit code. */
class HelperConfigErrorTest {
  @TempDir static Path cache;
  @TempDir Path dir;
  private static Path helper;

  @BeforeAll
  static void extract() {
    helper = new HelperBinary(cache).path();
  }

  private record Outcome(String status, int exit) {}

  private Outcome run(String... records) throws IOException, InterruptedException {
    Path config = dir.resolve("config");
    Files.writeString(config, String.join("\0", records) + "\0");
    Process p = new ProcessBuilder(helper.toString(), config.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Outcome(out, p.waitFor());
  }

  @Test
  void unsupportedVersion_reportsConfigErrorAndExits125() throws Exception {
    Outcome o = run("version 2", "arg sh");
    assertThat(o.status()).startsWith("BERTH1 error config 0 config: version 2 is not supported");
    assertThat(o.exit()).isEqualTo(125);
  }

  @Test
  void withAStatusPipe_theStatusGoesThere_notToStdout() throws Exception {
    Path config = dir.resolve("config");
    Files.writeString(config, "version 2\0arg sh\0");
    try (StatusPipe pipe = StatusPipe.create(dir.resolve("status"))) {
      Process p = new ProcessBuilder(helper.toString(), "--status", pipe.path().toString(), config.toString()).start();
      assertThat(pipe.firstLine(p, java.time.Duration.ofSeconds(10)))
          .startsWith("BERTH1 error config 0 config: version 2 is not supported");
      assertThat(p.getInputStream().readAllBytes()).isEmpty();
      assertThat(p.waitFor()).isEqualTo(125);
    }
  }

  /** A helper gone before it opened the pipe (here: no config named) does not leave the read waiting. */
  @Test
  void aHelperThatEndsWithoutOpeningThePipe_givesAnEmptyStatus() throws Exception {
    try (StatusPipe pipe = StatusPipe.create(dir.resolve("status"))) {
      Process p = new ProcessBuilder(helper.toString(), "--status", pipe.path().toString()).start();
      assertThat(pipe.firstLine(p, java.time.Duration.ofSeconds(10))).isEmpty();
      assertThat(p.waitFor()).isEqualTo(125);
    }
  }

  @Test
  void aStatusPathThatIsNoFifo_isRefusedOnStderr() throws Exception {
    Path plain = Files.writeString(dir.resolve("plain"), "");
    Process p = new ProcessBuilder(helper.toString(), "--status", plain.toString(), dir.resolve("config").toString()).start();
    assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .startsWith("BERTH1 error config 0 the status pipe " + plain + " is not a FIFO");
    assertThat(p.getInputStream().readAllBytes()).isEmpty();
    assertThat(p.waitFor()).isEqualTo(125);
  }

  @Test
  void unknownKey_reportsTheKey() throws Exception {
    Outcome o = run("version 1", "rootfs.dir /", "state_dir /tmp", "arg sh", "colour blue");
    assertThat(o.status()).contains("unknown key \"colour\"");
    assertThat(o.exit()).isEqualTo(125);
  }

  @Test
  void missingSeccompProgram_reportsSeccompStageAndThePath() throws Exception {
    Outcome o = run("version 1", "rootfs.dir /", "state_dir /tmp", "arg sh", "seccomp " + dir.resolve("absent.bpf"));
    assertThat(o.status()).startsWith("BERTH1 error seccomp 2 open the seccomp program " + dir.resolve("absent.bpf"));
    assertThat(o.exit()).isEqualTo(125);
  }

  @Test
  void seccompProgramNotWholeInstructions_isRefusedNamingIt() throws Exception {
    Path prog = Files.write(dir.resolve("odd.bpf"), new byte[5]);
    Outcome o = run("version 1", "rootfs.dir /", "state_dir /tmp", "arg sh", "seccomp " + prog);
    assertThat(o.status()).startsWith("BERTH1 error seccomp 0 " + prog + " is not a BPF program");
  }

  /**
   * A helper that leads its process group (as a shell with job control would start it) cannot
   * setsid: it must not run the container in its starter's group, and says why before anything runs.
   */
  @Test
  void startedAsAProcessGroupLeader_failsInTheMonitorStageNamingSetsid() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs perl to start the helper as a group leader");
    Path config = dir.resolve("config");
    Files.writeString(config, String.join("\0", "version 1", "rootfs.dir /", "state_dir " + dir,
        "namespace mount", "namespace pid", "arg true") + "\0");
    Process p = new ProcessBuilder("/usr/bin/perl", "-e", "setpgrp(0, 0); exec @ARGV", "--",
        helper.toString(), config.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).startsWith("BERTH1 error monitor 1 setsid: cannot leave the starter's session");
    assertThat(p.waitFor()).isEqualTo(125);
    assertThat(dir.resolve("state.json")).doesNotExist();
  }

  @Test
  void missingConfigFile_reportsThePath() throws Exception {
    Process p = new ProcessBuilder(helper.toString(), dir.resolve("absent").toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).startsWith("BERTH1 error config 2 config: open " + dir.resolve("absent"));
    assertThat(p.waitFor()).isEqualTo(125);
  }

  @Test
  void noArguments_printsUsage() throws Exception {
    Process p = new ProcessBuilder(helper.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("usage:").contains("CONFIG-FILE");
    assertThat(p.waitFor()).isEqualTo(125);
  }
}
