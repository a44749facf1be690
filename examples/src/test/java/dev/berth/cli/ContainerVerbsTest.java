package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** run, ps, logs, exec, stop, kill, rm and inspect of containers: Docker's output and exit codes. */
class ContainerVerbsTest {
  @TempDir Path home;
  private Cli cli;

  @BeforeEach
  void setUp() {
    Assume.rootAndRegistry();
    cli = new Cli(home);
  }

  @Test
  void run_missingImage_saysUnableToFindThenPullsThenShowsOutput() {
    Cli.Result r = cli.berth("run", "busybox", "echo", "hi");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).startsWith("Unable to find image 'busybox:latest' locally\n"
        + "latest: Pulling from library/busybox\n").contains("Status: Downloaded newer image");
    assertThat(r.stdout()).isEqualTo("hi\n");
  }

  @Test
  void run_storedImage_pullsNothing() {
    cli.berth("pull", "busybox");
    assertThat(cli.berth("run", "busybox", "true").stderr()).isEmpty();
  }

  @Test
  void run_exitsWithTheContainersExitCode() {
    assertThat(cli.berth("run", "busybox", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
  }

  @Test
  void run_stderrOfTheContainer_goesToStderr() {
    Cli.Result r = cli.berth("run", "busybox", "sh", "-c", "echo oops >&2");
    assertThat(r.stderr()).endsWith("oops\n");
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void run_commandNotFound_exits127() {
    Cli.Result r = cli.berth("run", "busybox", "nosuchprogram");
    assertThat(r.exitCode()).isEqualTo(127);
    assertThat(r.stderr()).contains("Error: ").contains("nosuchprogram");
  }

  @Test
  void run_commandNotExecutable_exits126() {
    assertThat(cli.berth("run", "busybox", "/etc/passwd").exitCode()).isEqualTo(126);
  }

  @Test
  void run_unknownFlag_exits125() {
    Cli.Result r = cli.berth("run", "--bogus", "busybox");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("See 'berth run --help'.");
  }

  @Test
  void run_nameTaken_exits125() {
    cli.berth("run", "--name", "twice", "busybox", "true");
    Cli.Result r = cli.berth("run", "--name", "twice", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("twice");
  }

  @AfterEach
  void removeContainers() {
    if (cli != null) {
      cli.removeAllContainers(); // a failed test may leave one running, which keeps its home busy
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-e=GREETING=hello | echo $GREETING | hello",
      "-w=/tmp | pwd | /tmp",
      "-u=1000 | id -u | 1000",
      "-h=myhost | hostname | myhost",
      "--entrypoint=/bin/echo | ignored | sh -c ignored"})
  void run_flag_reachesTheProcess(String flag, String script, String expected) {
    // with --entrypoint=/bin/echo, "sh -c script" becomes echo's arguments
    Cli.Result r = cli.berth("run", flag, "busybox", "sh", "-c", script);
    assertThat(r.stdout()).as(r.toString()).isEqualTo(expected + "\n");
  }

  @Test
  void run_interactive_forwardsStdinUntilEndOfFile() {
    assertThat(cli.sh("echo hello | berth run -i busybox cat").stdout()).isEqualTo("hello\n");
  }

  @Test
  void run_itWithoutTerminal_exits1AsDocker() {
    Cli.Result r = cli.berth("run", "-it", "busybox", "sh");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("the input device is not a TTY");
  }

  @Test
  void run_nodeWithoutTty_exitsAtOnceWithZero() {
    assertThat(cli.berth("run", "node").exitCode()).isZero();
  }

  @Test
  void run_detached_printsTheFullIdAndKeepsRunning() {
    Cli.Result r = cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    assertThat(r.stdout()).matches("[0-9a-f]{64}\n");
    assertThat(cli.berth("ps", "--format", "{{.Names}} {{.State}}").stdout())
        .isEqualTo("sleeper running\n");
    cli.berth("rm", "-f", "sleeper");
  }

  @Test
  void start_exitedContainer_runsItAgainIntoItsLog() {
    cli.berth("run", "--name", "again", "busybox", "sh", "-c", "echo run >> /runs; wc -l < /runs");
    Cli.Result r = cli.berth("start", "again");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("again\n");
    for (int i = 0; i < 200 && !cli.berth("ps", "-a", "--format", "{{.State}}").stdout().equals("exited\n"); i++) {
      sleep(50);
    }
    assertThat(cli.berth("logs", "again").stdout()).isEqualTo("1\n2\n");
  }

  @Test
  void restartRenameTop_ofARunningContainer() {
    cli.berth("run", "-d", "--name", "topped", "busybox", "sleep", "60");
    assertThat(cli.berth("restart", "-t", "1", "topped").stdout()).isEqualTo("topped\n");
    assertThat(cli.berth("rename", "topped", "renamed").exitCode()).isZero();
    Cli.Result top = cli.berth("top", "renamed");
    assertThat(top.stdout()).as(top.toString()).startsWith("UID").contains("sleep 60");
    cli.berth("rm", "-f", "renamed");
  }

  @Test
  void top_stoppedContainer_exits1NotRunning() {
    cli.berth("run", "--name", "done", "busybox", "true");
    Cli.Result r = cli.berth("top", "done");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("is not running");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void run_attached_sigintToBerth_goesToTheContainer() throws Exception {
    cli.berth("pull", "busybox");
    // pid 1 ignores signals it has no handler for (as with Docker): this one has a trap
    Process berth = cli.start("run", "--name", "trapper", "busybox", "sh", "-c",
        "trap 'exit 9' INT; while true; do sleep 0.1; done");
    awaitRunning("trapper");
    new ProcessBuilder("kill", "-INT", String.valueOf(berth.pid())).start().waitFor();
    assertThat(berth.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(berth.exitValue()).isEqualTo(9);
  }

  private void awaitRunning(String name) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (cli.berth("ps", "--format", "{{.Names}}").stdout().contains(name)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not start");
  }

  @Test
  void run_publish_servesOnTheHostPort_andPsShowsIt() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    cli.berth("run", "-d", "--name", "web", "-p", "127.0.0.1:" + port + ":3000", "node", "node",
        "/app/server.js");
    assertThat(httpGet("http://127.0.0.1:" + port + "/")).isEqualTo("hello from berth\n");
    assertThat(cli.berth("ps", "--format", "{{.Ports}}").stdout())
        .isEqualTo("127.0.0.1:" + port + "->3000/tcp\n");
  }

  @Test
  void run_memory_limitsTheContainersCgroup() throws Exception {
    cli.berth("run", "-d", "--name", "capped", "--memory", "64m", "busybox", "sleep", "60");
    String pid = cli.berth("inspect", "-f", "{{.State.Pid}}", "capped").stdout().strip();
    assertThat(memoryLimit(pid)).isEqualTo("67108864");
  }

  /** Read from the host: the container's memory cgroup, v1 or v2, by its /proc/PID/cgroup. */
  private static String memoryLimit(String pid) throws java.io.IOException {
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", pid, "cgroup"))) {
      String[] f = line.split(":", 3);
      if (f[1].isEmpty()) {
        return java.nio.file.Files.readString(Path.of("/sys/fs/cgroup" + f[2], "memory.max")).strip();
      }
      if (java.util.List.of(f[1].split(",")).contains("memory")) {
        return java.nio.file.Files.readString(
            Path.of("/sys/fs/cgroup/memory" + f[2], "memory.limit_in_bytes")).strip();
      }
    }
    throw new AssertionError("no memory cgroup for pid " + pid);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--memory=lots", "--memory=1k", "--cpus=many", "--cpus=-1"})
  void run_badLimit_exits125NamingTheFlag(String flag) {
    Cli.Result r = cli.berth("run", flag, "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).startsWith("Error: ").containsAnyOf("--memory", "--cpus", "memory",
        "cpus");
  }

  @Test
  void run_badPortSpec_exits125NamingIt() {
    Cli.Result r = cli.berth("run", "-p", "80-90:80", "busybox", "true");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("invalid port specification \"80-90:80\"");
  }

  @Test
  void run_networkNone_hasOnlyLoopback() {
    Cli.Result r = cli.berth("run", "--network", "none", "busybox", "ls", "/sys/class/net");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("lo\n");
  }

  @Test
  void network_createLsRm_asDocker() {
    assertThat(cli.berth("network", "create", "clinet").stdout()).isEqualTo("clinet\n");
    assertThat(cli.berth("network", "ls").stdout())
        .containsPattern("(?m)^NAME +DRIVER +SUBNET +GATEWAY +CONTAINERS\n(.*\n)*clinet +bridge ");
    assertThat(cli.berth("network", "rm", "clinet").stdout()).isEqualTo("clinet\n");
    assertThat(cli.berth("network", "ls", "-q").stdout()).doesNotContain("clinet");
  }

  @Test
  void network_connectDisconnect_asDocker() {
    cli.berth("network", "create", "--label", "team=cli", "clicon");
    try {
      cli.berth("run", "-d", "--name", "cli-conn", "busybox", "sleep", "300");
      Cli.Result connect = cli.berth("network", "connect", "--alias", "cx", "clicon", "cli-conn");
      assertThat(connect.exitCode()).as(connect.toString()).isZero();
      assertThat(cli.berth("exec", "cli-conn", "cat", "/etc/hosts").stdout()).contains("cli-conn cx");
      assertThat(cli.berth("network", "inspect", "clicon").stdout())
          .contains("\"team\": \"cli\"").contains(cli.berth("inspect", "-f", "{{.Id}}", "cli-conn").stdout().trim());
      Cli.Result twice = cli.berth("network", "connect", "clicon", "cli-conn");
      assertThat(twice.exitCode()).isEqualTo(1);
      assertThat(twice.stderr()).contains("Container cli-conn is already connected to network clicon");
      assertThat(cli.berth("network", "disconnect", "clicon", "cli-conn").exitCode()).isZero();
      assertThat(cli.berth("exec", "cli-conn", "cat", "/etc/hosts").stdout()).doesNotContain("cx");
    } finally {
      cli.removeAllContainers();
      cli.berth("network", "rm", "clicon");
    }
  }

  @Test
  void network_rmUnknown_exits1() {
    Cli.Result r = cli.berth("network", "rm", "nonet");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("nonet");
  }

  private static String httpGet(String url) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; ; i++) {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      } catch (java.io.IOException notYetListening) {
        if (i == 100) {
          throw notYetListening;
        }
        Thread.sleep(100);
      }
    }
  }

  @Test
  void run_rm_leavesNoContainerBehind() {
    cli.berth("run", "--rm", "busybox", "true");
    assertThat(cli.berth("ps", "-a", "-q").stdout()).isEmpty();
  }

  @Test
  void psAll_twoRunsOfOneImage_showsTwoExitedContainersInDockersColumns() {
    cli.berth("run", "--name", "first", "busybox", "true");
    cli.berth("run", "--name", "second", "busybox", "sh", "-c", "exit 2");
    String[] lines = cli.berth("ps", "-a").stdout().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).matches("CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES");
    assertThat(lines[1]).matches("[0-9a-f]{12} +busybox +\"sh -c exit 2\" +.*Exited \\(2\\) .* ago +second");
    assertThat(lines[2]).matches("[0-9a-f]{12} +busybox +\"true\" +.* Exited \\(0\\) .* ago +first");
  }

  @Test
  void ps_withoutAll_hidesExitedContainers() {
    cli.berth("run", "busybox", "true");
    assertThat(cli.berth("ps").stdout().split("\n")).hasSize(1);
  }

  @Test
  void ps_formatTable_addsDockersColumnTitles() {
    cli.berth("run", "--name", "one", "busybox", "true");
    assertThat(cli.berth("ps", "-a", "--format", "table {{.ID}}\\t{{.Names}}\\t{{.Status}}")
        .stdout()).matches("CONTAINER ID +NAMES +STATUS\n[0-9a-f]{12} +one +Exited \\(0\\) .+\n");
  }

  @Test
  void ps_formatUnknownField_exits1NamingTheKnownOnes() {
    Cli.Result r = cli.berth("ps", "--format", "{{.Nope}}");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("Nope").contains(".Names");
  }

  @Test
  void logs_printsWhatTheContainerWrote() {
    cli.berth("run", "--name", "talker", "busybox", "sh", "-c", "echo one; echo two; echo three");
    assertThat(cli.berth("logs", "talker").stdout()).isEqualTo("one\ntwo\nthree\n");
  }

  @Test
  void logs_tail_printsTheLastLines() {
    cli.berth("run", "--name", "talker", "busybox", "sh", "-c", "echo one; echo two; echo three");
    assertThat(cli.berth("logs", "--tail", "2", "talker").stdout()).isEqualTo("two\nthree\n");
  }

  @Test
  void logs_timestamps_prefixesRfc3339Times() {
    cli.berth("run", "--name", "talker", "busybox", "echo", "one");
    assertThat(cli.berth("logs", "-t", "talker").stdout())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z one\n");
  }

  @Test
  void logs_follow_printsUntilTheContainerExits() {
    cli.berth("run", "-d", "--name", "ticker", "busybox", "sh", "-c",
        "for i in 1 2 3; do echo $i; sleep 0.5; done");
    Cli.Result r = cli.berth("logs", "-f", "ticker");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("1\n2\n3\n");
  }

  @Test
  void logs_unknownContainer_exits1WithDockersWords() {
    Cli.Result r = cli.berth("logs", "nothere");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("Error: No such container: nothere\n");
  }

  @Test
  void exec_runsInTheRunningContainer_andExitsWithItsCode() {
    cli.berth("run", "-d", "--name", "box", "busybox", "sleep", "60");
    Cli.Result r = cli.berth("exec", "box", "sh", "-c", "echo $HOSTNAME-ok; exit 4");
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.stdout()).endsWith("-ok\n");
    cli.berth("rm", "-f", "box");
  }

  @Test
  void exec_stoppedContainer_exits1() {
    cli.berth("run", "--name", "done", "busybox", "true");
    Cli.Result r = cli.berth("exec", "done", "true");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("is not running");
  }

  @Test
  void stop_printsTheNameAndTheContainerExits() {
    cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    Cli.Result r = cli.berth("stop", "-t", "1", "sleeper");
    assertThat(r.stdout()).isEqualTo("sleeper\n");
    assertThat(cli.berth("ps", "-a", "--format", "{{.State}}").stdout()).isEqualTo("exited\n");
  }

  @Test
  void stop_unknownContainer_exits1AfterStoppingTheOthers() {
    cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    Cli.Result r = cli.berth("stop", "-t", "1", "nothere", "sleeper");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).isEqualTo("Error: No such container: nothere\n");
    assertThat(r.stdout()).isEqualTo("sleeper\n");
  }

  @Test
  void kill_exitCodeIs128PlusTheSignal() {
    cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    assertThat(cli.berth("kill", "sleeper").stdout()).isEqualTo("sleeper\n");
    assertThat(cli.berth("inspect", "-f", "{{.State.ExitCode}}", "sleeper").stdout())
        .isEqualTo("137\n");
  }

  @Test
  void rm_runningWithoutForce_exits1AndKeepsIt() {
    cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    Cli.Result r = cli.berth("rm", "sleeper");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(cli.berth("ps", "-q").stdout()).isNotEmpty();
    cli.berth("rm", "-f", "sleeper");
  }

  @Test
  void rm_force_removesARunningContainer() {
    cli.berth("run", "-d", "--name", "sleeper", "busybox", "sleep", "60");
    assertThat(cli.berth("rm", "-f", "sleeper").stdout()).isEqualTo("sleeper\n");
    assertThat(cli.berth("ps", "-a", "-q").stdout()).isEmpty();
  }

  @Test
  void inspect_container_hasDockersStateAndName() {
    cli.berth("run", "--name", "done", "busybox", "sh", "-c", "exit 5");
    assertThat(cli.berth("inspect", "-f", "{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.Path}}",
        "done").stdout()).isEqualTo("/done exited 5 sh\n");
  }
}
