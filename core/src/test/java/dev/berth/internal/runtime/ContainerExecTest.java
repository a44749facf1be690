package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.ContainerStartException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docker exec: processes started inside a running busybox container join its namespaces. */
@org.junit.jupiter.api.extension.ExtendWith(dev.berth.testsupport.NoLeakedChildren.class)
class ContainerExecTest {
  @TempDir static Path tmp;
  private static ContainerHarness harness;
  private LaunchedContainer container;

  @BeforeAll
  static void setUp() throws Exception {
    harness = new ContainerHarness(tmp);
  }

  /** A container whose init wrote /tmp/by-init and then sleeps as pid 1. */
  @BeforeEach
  void startContainer() throws Exception {
    container = harness.start(harness.spec("sh", "-c", "echo from-init > /tmp/by-init; echo ready; exec sleep 100")
        .hostname("exec-box").build());
    assertThat(new String(container.stdout().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("ready\n");
  }

  @AfterEach
  void stopContainerAndCheckNothingLeaked() throws Exception {
    ProcessHandle.of(container.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
    container.waitFor();
    assertThat(harness.leftoverMounts()).isEmpty();
  }

  private ContainerHarness.Result exec(RuntimeProcess.Builder spec) throws Exception {
    return ContainerHarness.collect(harness.exec(container, spec.env("PATH=/bin").build()));
  }

  @Test
  void exec_hostname_printsTheContainersHostname() throws Exception {
    assertThat(exec(RuntimeProcess.builder("hostname")).stdout()).isEqualTo("exec-box\n");
  }

  @Test
  void exec_shell_isNotPidOne() throws Exception {
    assertThat(exec(RuntimeProcess.builder("sh", "-c", "echo $$")).stdout().strip()).matches("[0-9]+").isNotEqualTo("1");
  }

  @Test
  void exec_ps_showsTheInitAndTheExecdProcessInOnePidNamespace() throws Exception {
    String ps = exec(RuntimeProcess.builder("ps", "-o", "pid,args")).stdout();
    assertThat(ps.lines().map(String::strip)).contains("1 sleep 100").anyMatch(l -> l.matches("\\d+ ps -o pid,args"));
  }

  @Test
  void exec_seesTheFilesTheInitWrote() throws Exception {
    assertThat(exec(RuntimeProcess.builder("cat", "/tmp/by-init")).stdout()).isEqualTo("from-init\n");
  }

  @Test
  void exec_user_isApplied() throws Exception {
    assertThat(exec(RuntimeProcess.builder("id").user(1000, 1001, 10)).stdout()).isEqualTo("uid=1000 gid=1001 groups=10\n");
  }

  @Test
  void exec_cwd_isApplied() throws Exception {
    assertThat(exec(RuntimeProcess.builder("pwd").cwd("/tmp")).stdout()).isEqualTo("/tmp\n");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5})
  void exec_exitCode_isTheProcesses(int code) throws Exception {
    assertThat(exec(RuntimeProcess.builder("sh", "-c", "exit " + code)).exit()).isEqualTo(code);
  }

  @Test
  void exec_exitCode_isRecordedInTheExecsStateFile() throws Exception {
    ContainerHarness.Result r = exec(RuntimeProcess.builder("sh", "-c", "exit 5"));
    assertThat(r.files().dir().getParent()).isEqualTo(container.files().dir().resolve("exec"));
    assertThat(ContainerState.read(r.files().state()).orElseThrow().exitCode()).isEqualTo(5);
  }

  @Test
  void exec_missingProgram_throwsWithExit127AndDockersMessage() {
    assertThatThrownBy(() -> exec(RuntimeProcess.builder("nope")))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.exitCode()).isEqualTo(127))
        .hasMessageContaining("exec \"nope\": executable file not found in $PATH");
  }

  @Test
  void exec_nonExecutableFile_throwsWithExit126() {
    assertThatThrownBy(() -> exec(RuntimeProcess.builder("/data.txt")))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.exitCode()).isEqualTo(126))
        .hasMessageContaining("exec \"/data.txt\": permission denied");
  }

  @Test
  void exec_missingCwd_throwsCwdStage() {
    assertThatThrownBy(() -> exec(RuntimeProcess.builder("pwd").cwd("/no/such/dir")))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.stage()).isEqualTo("cwd"))
        .hasMessageContaining("/no/such/dir");
  }

  @Test
  void exec_intoAnExitedContainer_throwsNamingIt() throws Exception {
    ProcessHandle.of(container.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
    container.waitFor();
    assertThatThrownBy(() -> exec(RuntimeProcess.builder("true")))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> {
          assertThat(e.stage()).isEqualTo("join");
          assertThat(e.exitCode()).isEqualTo(125);
        })
        .hasMessageContaining(container.files().dir().toString())
        .hasMessageContaining("not running (it exited with code 137");
  }

  @Test
  void exec_deadTargetThatTheStateCallsRunning_isRefusedByTheHelper() throws Exception {
    // the state file can lag behind: the helper checks the process itself
    long gone = 4_194_305L; // above the kernel's PID_MAX_LIMIT: no process has it
    Path stale = Files.createDirectories(tmp.resolve("stale"));
    Files.writeString(stale.resolve("state.json"), "{\"version\":1,\"status\":\"running\",\"pid\":" + gone
        + ",\"monitorPid\":1,\"startedAt\":\"2026-01-01T00:00:00.000000000Z\",\"finishedAt\":null,\"exitCode\":null}");
    HelperLauncher launcher = new HelperLauncher(new HelperBinary(tmp.resolve("bin")).path(), java.time.Duration.ofSeconds(20));
    assertThatThrownBy(() -> launcher.exec(new ContainerFiles(stale), gone, RuntimeProcess.builder("true").build()))
        .isInstanceOfSatisfying(ContainerStartException.class, e -> assertThat(e.stage()).isEqualTo("join"))
        .hasMessageContaining("process " + gone + " is not running");
  }

  @Test
  void exec_tty_getsATerminalFromTheContainersPts() throws Exception {
    assertThat(exec(RuntimeProcess.builder("sh", "-c", "tty; stty size").tty(true).ttySize(20, 70)).stdout())
        .isEqualTo("/dev/pts/0\r\n20 70\r\n");
  }

  @Test
  void exec_stdin_reachesTheProcess() throws Exception {
    LaunchedContainer e = harness.exec(container, RuntimeProcess.builder("cat").env("PATH=/bin").stdinOpen(true).build());
    e.stdin().write("to exec\n".getBytes(StandardCharsets.UTF_8));
    e.stdin().close();
    assertThat(new String(e.stdout().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("to exec\n");
    assertThat(e.waitFor()).isZero();
  }

  @Test
  void exec_ending_removesItsControlSocket() throws Exception {
    ContainerHarness.Result r = exec(RuntimeProcess.builder("true"));
    assertThat(r.files().controlSocket()).doesNotExist();
    assertThat(container.files().controlSocket()).exists();
  }

  @Test
  void exec_ending_leavesTheContainerRunning() throws Exception {
    exec(RuntimeProcess.builder("true"));
    assertThat(container.state().status()).isEqualTo("running");
    assertThat(ProcessHandle.of(container.hostPid()).map(ProcessHandle::isAlive)).contains(true);
  }
}
