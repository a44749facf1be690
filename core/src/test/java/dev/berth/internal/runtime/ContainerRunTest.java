package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.ContainerStartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real containers from a busybox overlay: namespaces, mounts, credentials, exit codes, logs. */
@org.junit.jupiter.api.extension.ExtendWith(dev.berth.testsupport.NoLeakedChildren.class)
class ContainerRunTest {
  @TempDir static Path tmp;
  private static ContainerHarness harness;

  @BeforeAll
  static void setUp() throws Exception {
    harness = new ContainerHarness(tmp);
  }


  @AfterEach
  void noMountsOrProcessesLeftOnTheHost() throws Exception {
    assertThat(harness.leftoverMounts()).isEmpty();
  }

  @Test
  void run_echo_printsHello() throws Exception {
    assertThat(harness.run("echo", "hello").stdout()).isEqualTo("hello\n");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void run_exitCode_isTheContainers(int code) throws Exception {
    assertThat(harness.run("sh", "-c", "exit " + code).exit()).isEqualTo(code);
  }

  @Test
  void run_exitCode_isRecordedInStateFile() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "exit 3");
    assertThat(ContainerState.read(r.files().state()).orElseThrow().exitCode()).isEqualTo(3);
  }

  @Test
  void run_shell_isPidOneInside() throws Exception {
    assertThat(harness.run("sh", "-c", "echo $$").stdout()).isEqualTo("1\n");
  }

  @Test
  void run_hostname_isTheConfiguredOne() throws Exception {
    assertThat(harness.run(b -> b.hostname("berth-box"), "hostname").stdout()).isEqualTo("berth-box\n");
  }

  @Test
  void run_etcHostname_holdsTheConfiguredName() throws Exception {
    assertThat(harness.run(b -> b.hostname("berth-box"), "cat", "/etc/hostname").stdout()).isEqualTo("berth-box\n");
  }

  @Test
  void run_proc_showsOnlyContainerProcesses() throws Exception {
    String out = harness.run("ls", "/proc").stdout();
    assertThat(out.lines().filter(l -> l.matches("[0-9]+"))).containsExactly("1");
  }

  @Test
  void run_hostFiles_areNotVisible() throws Exception {
    Path marker = Path.of("/root", "berth-marker-" + UUID.randomUUID());
    Files.writeString(marker, "host only");
    try {
      assertThat(harness.run("test", "-e", marker.toString()).exit()).isEqualTo(1);
    } finally {
      Files.delete(marker);
    }
  }

  @Test
  void run_env_isApplied() throws Exception {
    assertThat(harness.run(b -> b.env("GREETING=hi there"), "sh", "-c", "echo $GREETING").stdout()).isEqualTo("hi there\n");
  }

  @Test
  void run_missingCwd_isCreatedAndUsed() throws Exception {
    assertThat(harness.run(b -> b.cwd("/srv/app/deep"), "pwd").stdout()).isEqualTo("/srv/app/deep\n");
  }

  @Test
  void run_user_isApplied() throws Exception {
    assertThat(harness.run(b -> b.user(1000, 1001, 10, 20), "id").stdout()).isEqualTo("uid=1000 gid=1001 groups=10,20\n");
  }

  @Test
  void run_root_hasDockersDefaultCapabilities() throws Exception {
    String status = harness.run("cat", "/proc/self/status").stdout();
    assertThat(status).contains("CapEff:\t00000000a80425fb").contains("CapBnd:\t00000000a80425fb").contains("CapInh:\t0000000000000000");
  }

  @Test
  void run_nonRootUser_hasNoEffectiveCapabilities() throws Exception {
    assertThat(harness.run(b -> b.user(1000, 1000), "cat", "/proc/self/status").stdout()).contains("CapEff:\t0000000000000000");
  }

  @Test
  void run_noNewPrivs_isSet() throws Exception {
    assertThat(harness.run("cat", "/proc/self/status").stdout()).contains("NoNewPrivs:\t1");
  }

  @Test
  void run_rlimit_isLowered() throws Exception {
    assertThat(harness.run(b -> b.rlimit(new RuntimeSpec.Rlimit("NOFILE", 100, 200)), "sh", "-c", "ulimit -n").stdout()).isEqualTo("100\n");
  }

  @Test
  void run_fds_onlyStdioReachTheContainer() throws Exception {
    // 3 is the directory ls itself opened
    assertThat(harness.run("ls", "/proc/self/fd").stdout().lines()).containsExactly("0", "1", "2", "3");
  }

  @Test
  void run_procKeys_isMasked() throws Exception {
    assertThat(harness.run("sh", "-c", "test -e /proc/keys && wc -c < /proc/keys").stdout().strip()).isEqualTo("0");
  }

  @Test
  void run_etcHosts_isCreatedAndNamesTheHost() throws Exception {
    assertThat(harness.run(b -> b.hostname("berth-box"), "cat", "/etc/hosts").stdout()).contains("127.0.0.1\tlocalhost").contains("\tberth-box");
  }

  @Test
  void run_ownNetwork_hasLoopbackUp() throws Exception {
    assertThat(harness.run("ip", "link", "show", "lo").stdout()).contains("<LOOPBACK,UP");
  }

  @Test
  void run_sys_isReadOnly() throws Exception {
    assertThat(harness.run("sh", "-c", "grep ' /sys ' /proc/mounts").stdout()).contains("sysfs ro,");
  }

  @Test
  void run_procSys_isReadOnly() throws Exception {
    assertThat(harness.run("sh", "-c", "echo 1 > /proc/sys/kernel/domainname").exit()).isEqualTo(1);
  }

  @Test
  void run_devNull_isUsable() throws Exception {
    assertThat(harness.run("sh", "-c", "echo gone > /dev/null && ls /dev/pts/ptmx /dev/shm /dev/fd").exit()).isZero();
  }

  /**
   * As root the standard nodes are made with mknod, as runc makes them (one system call each,
   * where a bind of the host's takes a file, a resolve and a mount): character devices with the
   * kernel's numbers, mode 0666, no mount of their own, and they behave as the host's.
   */
  @Test
  void run_standardDevices_areNodesOfTheirOwn_thatWork() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c",
        "stat -c '%n %F %t:%T %a %u' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty;"
            + " grep -c ' /dev/\\(null\\|zero\\|full\\|random\\|urandom\\|tty\\) ' /proc/self/mountinfo;"
            + " head -c 3 /dev/zero | od -An -tx1; echo x > /dev/full || echo full-refused; head -c 8 /dev/urandom | wc -c");
    assertThat(r.stdout().lines().toList()).containsExactly(
        "/dev/null character special file 1:3 666 0",
        "/dev/zero character special file 1:5 666 0",
        "/dev/full character special file 1:7 666 0",
        "/dev/random character special file 1:8 666 0",
        "/dev/urandom character special file 1:9 666 0",
        "/dev/tty character special file 5:0 666 0",
        "0",
        " 00 00 00",
        "full-refused",
        "8");
  }

  @Test
  void run_writes_goToTheUpperDir() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "echo new > /created.txt");
    assertThat(r.files().dir().resolve("upper/created.txt")).hasContent("new");
    assertThat(harness.lower().resolve("created.txt")).doesNotExist();
  }

  @Test
  void run_stdin_reachesTheContainer() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("cat").stdinOpen(true).build());
    c.stdin().write("from the jvm\n".getBytes(StandardCharsets.UTF_8));
    c.stdin().close();
    assertThat(new String(c.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("from the jvm\n");
    assertThat(c.waitFor()).isZero();
  }

  @Test
  void run_log_hasJsonLinesForBothStreams() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "echo out; echo \"e\\\"rr\" >&2");
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = Files.readAllLines(r.files().log()).stream().map(l -> {
      try {
        return json.readTree(l);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + l, e);
      }
    }).toList();
    assertThat(lines).extracting(n -> n.get("stream").asText() + ":" + n.get("log").asText())
        .containsExactlyInAnyOrder("stdout:out\n", "stderr:e\"rr\n");
    assertThat(lines).allSatisfy(n -> assertThat(n.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"));
  }

  @Test
  void run_missingProgram_throwsWithExit127AndDockersMessage() {
    assertThatThrownBy(() -> harness.run("nodee"))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(127);
          assertThat(e.stage()).isEqualTo("exec");
        })
        .hasMessageContaining("exec \"nodee\": executable file not found in $PATH");
  }

  @Test
  void run_nonExecutableFile_throwsWithExit126() {
    assertThatThrownBy(() -> harness.run("/data.txt"))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.exitCode()).isEqualTo(126))
        .hasMessageContaining("exec \"/data.txt\": permission denied");
  }

  @Test
  void run_missingRootDirectory_throwsRootfsStageWithExit125() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain-missing"));
    RuntimeSpec spec = RuntimeSpec.builder(new RuntimeSpec.Directory(tmp.resolve("absent")), "true").build();
    HelperLauncher launcher = new HelperLauncher(new HelperBinary(tmp.resolve("bin")).path(), java.time.Duration.ofSeconds(20));
    assertThatThrownBy(() -> launcher.launch(spec, dir))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> {
          assertThat(e.stage()).isEqualTo("rootfs");
          assertThat(e.exitCode()).isEqualTo(125);
          assertThat(e.errno()).isEqualTo(2);
        })
        .hasMessageContaining(tmp.resolve("absent").toString());
  }

  @Test
  void start_seccompProgramTheKernelRefuses_reportsSeccompStage() throws Exception {
    RuntimeSpec spec = harness.spec("true").build();
    ContainerFiles files = new ContainerFiles(((RuntimeSpec.Overlay) spec.rootfs()).upper().getParent());
    Files.write(files.seccomp(), new byte[] {(byte) 0xff, (byte) 0xff, 0, 0, 0, 0, 0, 0}); // no such BPF opcode
    Files.write(files.config(), HelperConfig.encode(spec, files));
    Process p = new ProcessBuilder(harness.helper().toString(), files.config().toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).startsWith("BERTH1 error seccomp 22 install the seccomp filter from " + files.seccomp());
    assertThat(p.waitFor()).isEqualTo(125);
  }

  /** The status line has a pipe of its own: the helper's stdout is the container's, from its first byte. */
  @Test
  void start_withAStatusPipe_stdoutCarriesOnlyTheContainersBytes() throws Exception {
    RuntimeSpec spec = harness.spec("printf", "hello").build();
    ContainerFiles files = new ContainerFiles(((RuntimeSpec.Overlay) spec.rootfs()).upper().getParent());
    HelperLauncher.writeSeccomp(spec.security(), files);
    Files.write(files.config(), HelperConfig.encode(spec, files));
    try (StatusPipe pipe = StatusPipe.create(files.status())) {
      Process p = new ProcessBuilder(harness.helper().toString(), "--status", pipe.path().toString(),
          files.config().toString()).start();
      assertThat(pipe.firstLine(p, java.time.Duration.ofSeconds(30))).matches("BERTH1 started [0-9]+");
      assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(p.waitFor()).isZero();
    }
    assertThat(files.status()).as("the pipe is removed once read").doesNotExist();
  }

  @Test
  void run_outputThatLooksLikeAStatusLine_isTheContainersOwn() throws Exception {
    ContainerHarness.Result r = harness.run("printf", "BERTH1 error config 0 not the helper\\nBERTH1 started 1\\n");
    assertThat(r.stdout()).isEqualTo("BERTH1 error config 0 not the helper\nBERTH1 started 1\n");
    assertThat(r.exit()).isZero();
  }

  @Test
  void run_noOutputAtAll_startsAndReportsItsExit() throws Exception {
    ContainerHarness.Result r = harness.run("sh", "-c", "exit 4");
    assertThat(r.stdout()).isEmpty();
    assertThat(r.exit()).isEqualTo(4);
  }

  @Test
  void kill_sigkill_recordsExit137() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sleep", "100").build());
    ProcessHandle.of(c.hostPid()).orElseThrow().destroyForcibly();
    assertThat(c.waitFor()).isEqualTo(137);
    assertThat(c.state().exitCode()).isEqualTo(137);
  }

  @Test
  void destroyMonitor_forwardsSigtermToTheContainer() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sh", "-c", "trap 'exit 7' TERM; echo ready; sleep 100 & wait").build());
    assertThat(new String(c.stdout().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("ready\n");
    c.monitor().destroy();
    assertThat(c.waitFor()).isEqualTo(7);
  }

  @Test
  void start_stateFile_saysRunningWithPids() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sleep", "100").build());
    try {
      ContainerState s = c.state();
      assertThat(s.status()).isEqualTo("running");
      assertThat(s.pid()).isEqualTo(c.hostPid());
      assertThat(s.monitorPid()).isEqualTo(c.monitor().pid());
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor();
    }
  }
}
