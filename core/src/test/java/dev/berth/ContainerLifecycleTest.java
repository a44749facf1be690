package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BusyboxEngine;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.RemoteDiffers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers of the busybox test image through the public API: Docker's run semantics. */
class ContainerLifecycleTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;

  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "running containers as root; rootless is covered by RootlessTest");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private static String output(Container c) throws Exception {
    return new String(c.getInputStream().readAllBytes());
  }

  @Test
  void run_exitCodes_areTheProcesses() throws Exception {
    for (int code : new int[] {0, 1, 42}) {
      try (Container c = busybox.run("sh", "-c", "exit " + code)) {
        assertThat(c.waitFor()).isEqualTo(code);
        assertThat(c.exitValue()).isEqualTo(code);
      }
    }
  }

  @Test
  @RemoteDiffers(value = RemoteDiffers.ENGINE_WORDS, on = "podman")
  void run_missingExecutable_throws127WithDockersMessage() {
    assertThatThrownBy(() -> busybox.run("nodee"))
        .isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("exec \"nodee\": executable file not found in $PATH")
        .satisfies(e -> assertThat(((ContainerStartException) e).exitCode()).isEqualTo(127));
  }

  @Test
  void run_nonExecutableFile_throws126() {
    assertThatThrownBy(() -> busybox.run("/etc/passwd"))
        .isInstanceOf(ContainerStartException.class)
        .satisfies(e -> assertThat(((ContainerStartException) e).exitCode()).isEqualTo(126));
  }

  @Test
  void kill_runningContainer_exits137AndReadsExitedInList() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      assertThat(c.isAlive()).isTrue();
      assertThat(berth.containers(false)).extracting(ContainerInfo::id).contains(c.id());
      c.kill();
      assertThat(c.waitFor()).isEqualTo(137);
      ContainerInfo info = c.inspect();
      assertThat(info.state()).isEqualTo(ContainerInfo.State.EXITED);
      assertThat(info.status()).startsWith("Exited (137) ");
      assertThat(berth.containers(false)).extracting(ContainerInfo::id).doesNotContain(c.id());
      assertThat(berth.containers(true)).extracting(ContainerInfo::id).contains(c.id());
    }
  }

  @Test
  void stop_shellIgnoringTerm_isKilledAfterTheTimeout() throws Exception {
    // pid 1 ignores SIGTERM unless it handles it: docker stop then kills after the grace time
    try (Container c = busybox.run("sleep", "60")) {
      long t0 = System.nanoTime();
      c.stop(Duration.ofMillis(300));
      assertThat(c.waitFor()).isEqualTo(137);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void stop_processHandlingTerm_exitsWithItsOwnCode() throws Exception {
    try (Container c = busybox.run("sh", "-c", "trap 'exit 7' TERM; echo ready; while :; do sleep 0.05; done")) {
      assertThat(new String(c.getInputStream().readNBytes(6))).isEqualTo("ready\n");
      c.stop(Duration.ofSeconds(10));
      assertThat(c.waitFor()).isEqualTo(7);
    }
  }

  @Test
  void run_envWorkdirUserHostname_followTheOptions() throws Exception {
    RunOptions opts = RunOptions.builder()
        .command("sh", "-c", "echo $GREETING; pwd; id -u; id -g; hostname")
        .env("GREETING", "hi").workingDir("/srv/new").user("app").hostname("web").build();
    try (Container c = busybox.run(opts)) {
      assertThat(output(c)).isEqualTo("hi\n/srv/new\n1000\n1000\nweb\n");
      assertThat(c.waitFor()).isZero();
    }
  }

  @Test
  void run_defaultHostname_isTheShortId() throws Exception {
    try (Container c = busybox.run("hostname")) {
      assertThat(output(c).strip()).isEqualTo(c.id().substring(0, 12));
    }
  }

  @Test
  void run_pidOneIsTheProcess_andHostProcessesAreInvisible() throws Exception {
    try (Container c = busybox.run("sh", "-c", "echo $$; ls -d /proc/[0-9]* | wc -l")) {
      String[] lines = output(c).split("\n");
      assertThat(lines[0]).isEqualTo("1");
      // only the shell and the pipeline's processes: none of the host's hundreds
      assertThat(Integer.parseInt(lines[1].strip())).isBetween(2, 3);
    }
  }

  @Test
  void run_hostFilesAreInvisible() throws Exception {
    Path marker = Files.createTempFile(Path.of("/root"), "berth-marker", ".txt");
    try (Container c = busybox.run("sh", "-c", "ls " + marker + " 2>&1; echo $?")) {
      assertThat(output(c)).contains("No such file").endsWith("1\n");
    } finally {
      Files.deleteIfExists(marker);
    }
  }

  @Test
  void name_generatedDockerStyle_andAChosenTakenNameIsRefused() throws Exception {
    try (Container a = busybox.run(RunOptions.builder().command("true").name("taken-name").build())) {
      a.waitFor();
      assertThat(a.name()).isEqualTo("taken-name");
      assertThatThrownBy(() -> busybox.run(RunOptions.builder().command("true").name("taken-name").build()))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("The container name \"/taken-name\" is already in use");
    }
    try (Container b = busybox.run("true")) {
      assertThat(b.name()).matches("[a-z]+_[a-z]+\\d?");
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.ENGINE_WORDS)
  void remove_runningWithoutForce_isRefused() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      assertThatThrownBy(() -> c.remove(false))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("You cannot remove a running container");
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void autoRemove_leavesNothingBehind() throws Exception {
    Container c = busybox.run(RunOptions.builder().command("echo", "bye").autoRemove(true).build());
    assertThat(c.waitFor()).isZero();
    Path dir = home.resolve("containers").resolve(c.id());
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (Files.exists(dir) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(dir).doesNotExist();
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(c.id());
  }

  @Test
  void twentyContainersAtOnce_allRunAndExit() throws Exception {
    List<Container> all = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        all.add(busybox.run("sh", "-c", "sleep 0.5; echo " + "n" + i));
      }
      for (int i = 0; i < 20; i++) {
        assertThat(output(all.get(i))).isEqualTo("n" + i + "\n");
        assertThat(all.get(i).waitFor()).isZero();
      }
    } finally {
      all.forEach(Container::close);
    }
  }

  @Test
  void containersList_toString_isThePsTable() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().command("true").name("table-row").build())) {
      c.waitFor();
      String table = berth.containers(true).toString();
      assertThat(table.lines().findFirst().orElseThrow())
          .startsWith("CONTAINER ID   IMAGE").endsWith("NAMES");
      assertThat(table).contains(c.id().substring(0, 12)).contains("Exited (0)").contains("table-row");
    }
  }

  @Test
  void writes_landInTheContainerNotTheImage() throws Exception {
    try (Container a = busybox.run("sh", "-c", "echo x > /etc/berth-written")) {
      assertThat(a.waitFor()).isZero();
    }
    try (Container b = busybox.run("cat", "/etc/berth-written")) {
      assertThat(b.waitFor()).isEqualTo(1);
    }
  }

  @Test
  void exec_runsInTheContainerWithItsEnvAndWorkdir() throws Exception {
    RunOptions opts = RunOptions.builder().command("sleep", "60").env("FROM_RUN", "yes")
        .workingDir("/srv").build();
    try (Container c = busybox.run(opts)) {
      ExecResult r = c.exec("sh", "-c", "echo $FROM_RUN; pwd; hostname; echo $$; echo oops >&2; exit 4");
      assertThat(r.exitCode()).isEqualTo(4);
      assertThat(r.stdout()).isEqualTo("yes\n/srv\n" + c.id().substring(0, 12) + "\n"
          + r.stdout().split("\n")[3] + "\n");
      assertThat(r.stdout().split("\n")[3]).isNotEqualTo("1");
      assertThat(r.stderr()).isEqualTo("oops\n");
      assertThat(c.exec("id", "-u").stdout()).isEqualTo("0\n");
    }
  }

  @Test
  @RemoteDiffers(value = "podman's service starts an exec whose program is missing and reports"
      + " exit code 127 instead of refusing the start", on = "podman")
  void exec_missingProgram_throws127() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      assertThatThrownBy(() -> c.exec("nope"))
          .isInstanceOf(ContainerStartException.class)
          .hasMessageContaining("exec \"nope\": executable file not found in $PATH");
    }
  }

  @Test
  void exec_inAnExitedContainer_isRefused() throws Exception {
    try (Container c = busybox.run("true")) {
      c.waitFor();
      assertThatThrownBy(() -> c.exec("true"))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("is not running");
    }
  }

  @Test
  void tty_givesTheProcessATerminalAndResizeReachesIt() throws Exception {
    RunOptions opts = RunOptions.builder().command("sh").tty(true).stdinOpen(true).build();
    try (Container c = busybox.run(opts)) {
      java.io.OutputStream in = c.getOutputStream();
      in.write("tty; stty size\n".getBytes());
      in.flush();
      String seen = readUntil(c.getInputStream(), "24 80");
      assertThat(seen).contains("/dev/pts/0");
      c.resize(40, 120);
      in.write("stty size; exit 5\n".getBytes());
      in.flush();
      assertThat(readUntil(c.getInputStream(), "40 120")).contains("40 120");
      assertThat(c.waitFor()).isEqualTo(5);
    }
  }

  private static String readUntil(java.io.InputStream in, String marker) throws Exception {
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[256];
    while (!sb.toString().contains(marker)) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      sb.append(new String(buf, 0, n));
    }
    return sb.toString();
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void killedFromOutside_monitorAndProcess_readsExited255() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      long pid = c.inspect().pid();
      long monitor = monitorPid(c);
      new ProcessBuilder("kill", "-9", Long.toString(monitor), Long.toString(pid)).start().waitFor();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (c.inspect().isRunning() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(c.inspect().status()).startsWith("Exited (255)");
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void monitorKilledFromOutside_processStillRuns_readsUpAndCanBeKilled() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      new ProcessBuilder("kill", "-9", Long.toString(monitorPid(c))).start().waitFor();
      Thread.sleep(100);
      assertThat(c.inspect().status()).startsWith("Up ");
      c.kill();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (c.inspect().isRunning() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(c.inspect().isRunning()).isFalse();
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void afterAReboot_aRunningRecordReadsExited() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      Path record = home.resolve("containers").resolve(c.id()).resolve("container.json");
      String json = Files.readString(record);
      String rebooted = json.replaceFirst("\"bootId\" : \"[^\"]*\"", "\"bootId\" : \"another-boot\"");
      assertThat(rebooted).isNotEqualTo(json);
      Files.writeString(record, rebooted);
      assertThat(berth.container(c.id()).inspect().status()).startsWith("Exited (255)");
    }
  }

  /** The monitor does not fsync state.json (as runc): a machine crash can leave it empty or zeroed. */
  @Test
  @RemoteDiffers(RemoteDiffers.LOCAL_HOME)
  void afterAMachineCrash_anEmptyOrZeroedStateFileReadsExited255() throws Exception {
    try (Container c = busybox.run("true")) {
      assertThat(c.waitFor()).isZero();
      Path state = home.resolve("containers").resolve(c.id()).resolve("state.json");
      for (byte[] lost : List.of(new byte[0], new byte[185])) {
        Files.write(state, lost);
        assertThat(berth.container(c.id()).inspect().status()).as("%d bytes", lost.length)
            .startsWith("Exited (255)");
        assertThat(berth.containers(true).stream().filter(i -> i.id().equals(c.id())).findFirst()
            .orElseThrow().state()).isEqualTo(ContainerInfo.State.EXITED);
      }
    }
  }

  private static long monitorPid(Container c) throws Exception {
    String state = Files.readString(home.resolve("containers").resolve(c.id()).resolve("state.json"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"monitorPid\":(\\d+)").matcher(state);
    assertThat(m.find()).as(state).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  @RemoteDiffers(value = "podman's service (4.3 here) returned lines older than a since with a"
      + " fraction of a second", on = "podman")
  void logs_tailStreamsAndFollow_likeDockerLogs() throws Exception {
    try (Container c = busybox.run(RunOptions.builder()
        .command("sh", "-c", "for i in 1 2 3; do echo out$i; echo err$i >&2; sleep 0.2; done")
        .detach(true).build())) {
      java.util.List<String> followed = c.logs(LogOptions.builder().follow(true).build())
          .map(LogLine::text).toList();
      assertThat(c.waitFor()).isZero();
      assertThat(followed).containsExactlyInAnyOrder("out1\n", "err1\n", "out2\n", "err2\n",
          "out3\n", "err3\n");
      assertThat(c.logs(LogOptions.builder().tail(2).build()).map(LogLine::text))
          .containsExactlyInAnyOrder("out3\n", "err3\n");
      assertThat(c.logs(LogOptions.builder().stderr(false).build()).map(LogLine::text))
          .containsExactly("out1\n", "out2\n", "out3\n");
      LogLine first = c.logs(LogOptions.builder().build()).findFirst().orElseThrow();
      assertThat(c.logs(LogOptions.builder().since(first.time().plusMillis(100)).build()))
          .hasSizeLessThan(6);
      assertThat(first.withTimestamp()).startsWith(first.time().toString());
    }
  }

  @Test
  @RemoteDiffers(RemoteDiffers.BUILDS)
  void stop_sendsTheImagesStopSignal_asDockerDoes() throws Exception {
    Image sigint = ImageBuilder.from("busybox").stopSignal("SIGINT").build(berth, "stops-with-int");
    try (Container c = sigint.run(RunOptions.builder().detach(true).command("sh", "-c",
        "trap 'echo got-int; exit 0' INT; trap 'echo got-term; exit 0' TERM;"
            + " echo ready; while true; do sleep 0.1; done").build())) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!c.logs().contains("ready") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      c.stop(Duration.ofSeconds(10));
      assertThat(c.logs()).contains("got-int").doesNotContain("got-term");
      assertThat(c.exitValue()).isZero();
    }
  }
}
