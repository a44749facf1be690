package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.BerthException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers with a terminal (docker run -it) on a busybox overlay: job control, window size, raw input. */
@org.junit.jupiter.api.extension.ExtendWith(dev.berth.testsupport.NoLeakedChildren.class)
class ContainerTtyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
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

  private ContainerHarness.Result runTty(UnaryOperator<RuntimeSpec.Builder> customize, String... argv) throws Exception {
    return harness.run(b -> customize.apply(b.tty(true)), argv);
  }

  /** An interactive shell on a terminal, as `docker run -it busybox sh`. */
  private LaunchedContainer shell(UnaryOperator<RuntimeSpec.Builder> customize) throws IOException {
    return harness.start(customize.apply(harness.spec("sh").tty(true).stdinOpen(true)).build());
  }

  private static void type(LaunchedContainer c, String keys) throws IOException {
    c.stdin().write(keys.getBytes(StandardCharsets.UTF_8));
    c.stdin().flush();
  }

  @Test
  void tty_ttyCommand_printsTheContainersFirstPts() throws Exception {
    assertThat(runTty(b -> b, "tty").stdout()).isEqualTo("/dev/pts/0\r\n");
  }

  @Test
  void tty_stdin_isATerminal() throws Exception {
    assertThat(runTty(b -> b, "sh", "-c", "test -t 0 && echo yes").stdout()).isEqualTo("yes\r\n");
  }

  @Test
  void tty_stderr_goesToTheTerminal() throws Exception {
    ContainerHarness.Result r = runTty(b -> b, "sh", "-c", "echo oops >&2");
    assertThat(r.stdout()).isEqualTo("oops\r\n");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void tty_sttySize_reportsTheInitialSize() throws Exception {
    assertThat(runTty(b -> b.ttySize(33, 99), "stty", "size").stdout()).isEqualTo("33 99\r\n");
  }

  @Test
  void tty_withoutSize_isTwentyFourByEighty() throws Exception {
    assertThat(runTty(b -> b, "stty", "size").stdout()).isEqualTo("24 80\r\n");
  }

  @Test
  void resize_changesTheSizeTheShellSees() throws Exception {
    LaunchedContainer c = shell(b -> b.ttySize(30, 100));
    OutputWatcher out = new OutputWatcher(c.stdout());
    type(c, "stty size\n");
    out.await("30 100\r\n", WAIT);
    c.resize(50, 132);
    type(c, "stty size\n");
    out.await("50 132\r\n", WAIT);
    type(c, "exit\n");
    assertThat(c.waitFor()).isZero();
  }

  @Test
  void ctrlC_interruptsTheForegroundJobAndTheShellSurvives() throws Exception {
    LaunchedContainer c = shell(b -> b);
    OutputWatcher out = new OutputWatcher(c.stdout());
    long start = System.nanoTime();
    type(c, "echo started; sleep 100\n");
    out.await("started\r\n", WAIT);
    Thread.sleep(300); // let sh fork sleep into the foreground
    type(c, "\u0003");
    type(c, "echo status=$?\n");
    out.await("status=130", WAIT); // sleep died of SIGINT; the shell reports it and goes on
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    type(c, "exit\n");
    assertThat(c.waitFor()).isZero();
  }

  @Test
  void exit3_typedIntoTheShell_isTheExitCode() throws Exception {
    LaunchedContainer c = shell(b -> b);
    new OutputWatcher(c.stdout());
    type(c, "exit 3\n");
    assertThat(c.waitFor()).isEqualTo(3);
  }

  @Test
  void ctrlD_endsTheInputOfCat() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("cat").tty(true).stdinOpen(true).build());
    OutputWatcher out = new OutputWatcher(c.stdout());
    type(c, "abc\n");
    out.await("abc\r\nabc\r\n", WAIT); // the terminal's echo, then cat's copy
    type(c, "\u0004");
    assertThat(c.waitFor()).isZero();
  }

  @Test
  void closingStdin_doesNotHangUpTheTerminal() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sh", "-c", "sleep 0.5; echo still here").tty(true).stdinOpen(true).build());
    OutputWatcher out = new OutputWatcher(c.stdout());
    c.stdin().close();
    assertThat(c.waitFor()).isZero();
    assertThat(out.all()).isEqualTo("still here\r\n");
  }

  @Test
  void tty_log_recordsTheOutputAsStdout() throws Exception {
    ContainerHarness.Result r = runTty(b -> b, "sh", "-c", "echo out; echo err >&2");
    ObjectMapper json = new ObjectMapper();
    assertThat(Files.readAllLines(r.files().log())).extracting(l -> {
      JsonNode n = json.readTree(l);
      return n.get("stream").asText() + ":" + n.get("log").asText();
    }).containsExactly("stdout:out\r\n", "stdout:err\r\n");
  }

  @Test
  void resize_containerDirTooLongForASocketPath_stillReachesTheMonitor() throws Exception {
    Path dir = tmp.resolve("long-" + "d".repeat(110));
    RuntimeSpec spec = RuntimeSpec.builder(new RuntimeSpec.Overlay(List.of(harness.lower()),
            Files.createDirectories(dir.resolve("upper")), Files.createDirectories(dir.resolve("work"))), "sh")
        .env("PATH=/bin").tty(true).stdinOpen(true).build();
    LaunchedContainer c = harness.start(spec);
    assertThat(c.files().controlSocket().toString().length()).isGreaterThan(107);
    OutputWatcher out = new OutputWatcher(c.stdout());
    c.resize(41, 101);
    type(c, "stty size; exit\n");
    out.await("41 101\r\n", WAIT);
    assertThat(c.waitFor()).isZero();
  }

  @Test
  void resize_withoutATerminal_throwsSayingSo() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sleep", "100").build());
    try {
      assertThatThrownBy(() -> c.resize(10, 10)).isInstanceOf(BerthException.class)
          .hasMessageContaining("resize 10 10").hasMessageContaining("has no terminal");
    } finally {
      ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
      c.waitFor();
    }
  }

  @Test
  void resize_afterTheContainerEnded_throwsSayingItEnded() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("true").tty(true).build());
    new OutputWatcher(c.stdout());
    c.waitFor();
    assertThatThrownBy(() -> c.resize(10, 10)).isInstanceOf(BerthException.class)
        .hasMessageContaining(c.files().controlSocket().toString()).hasMessageContaining("has probably ended");
  }

  @Test
  void resize_zeroRows_isRefused() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("true").build());
    c.waitFor();
    assertThatThrownBy(() -> c.resize(0, 80)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x80");
  }

  @Test
  void signal_zero_isRefused() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("true").build());
    c.waitFor();
    assertThatThrownBy(() -> c.signal(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signal 0 must be 1 to 64");
  }

  @Test
  void signal_throughTheMonitor_endsTheContainer() throws Exception {
    LaunchedContainer c = harness.start(harness.spec("sleep", "100").build());
    c.signal(9);
    assertThat(c.waitFor()).isEqualTo(137);
  }
}
