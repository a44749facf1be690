package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's create, start (again) and restart, through the public API. */
class ContainerCreateStartTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;
  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "creates and starts containers as root; rootless runs are in RootlessTest");
    berth = engine.berth();
    busybox = engine.busybox();
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void create_leavesItCreated_withItsNameTakenAndNoProcess() throws Exception {
    try (Container c = berth.create("busybox", RunOptions.builder().name("made-not-run")
        .command("echo", "hi").build())) {
      ContainerInfo info = c.inspect();
      assertThat(info.state()).isEqualTo(ContainerInfo.State.CREATED);
      assertThat(info.pid()).isZero();
      assertThat(info.startedAt()).isNull();
      assertThat(c.isAlive()).isFalse();
      assertThat(berth.container("made-not-run").id()).isEqualTo(c.id());
      assertThat(berth.containers(true)).extracting(ContainerInfo::id).contains(c.id());
      assertThat(berth.containers(false)).extracting(ContainerInfo::id).doesNotContain(c.id());
      assertThat(c.logs()).isEmpty();
      assertThatThrownBy(() -> busybox.run(RunOptions.builder().name("made-not-run").build()))
          .isInstanceOf(BerthException.class).hasMessageContaining("made-not-run");
    }
  }

  @Test
  void imageCreate_thenStart_attachesTheProcessStreams() throws Exception {
    try (Container c = busybox.create(RunOptions.builder()
        .command("sh", "-c", "echo out; echo err >&2; exit 7").build())) {
      c.start();
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("out\n");
      assertThat(new String(c.getErrorStream().readAllBytes())).isEqualTo("err\n");
      assertThat(c.waitFor()).isEqualTo(7);
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.EXITED);
      assertThat(c.inspect().exitCode()).isEqualTo(7);
    }
  }

  @Test
  void start_createdContainerWithStdinOpen_readsWhatIsWritten() throws Exception {
    try (Container c = busybox.create(RunOptions.builder().stdinOpen(true).command("cat").build())) {
      c.start();
      c.getOutputStream().write("through stdin\n".getBytes());
      c.getOutputStream().close();
      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("through stdin\n");
      assertThat(c.waitFor()).isZero();
    }
  }

  @Test
  void start_exitedContainer_runsAgainOnItsOwnFilesAndAppendsTheLog() throws Exception {
    // each run appends a line to a file in the container and exits with the line count
    try (Container c = busybox.run(RunOptions.builder().name("runs-twice")
        .command("sh", "-c", "echo run >> /runs; echo runs=$(wc -l < /runs); exit $(wc -l < /runs)")
        .build())) {
      assertThat(c.waitFor()).isEqualTo(1);
      ContainerInfo first = c.inspect();

      c.start();

      assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("runs=2\n");
      assertThat(c.waitFor()).isEqualTo(2);
      ContainerInfo second = c.inspect();
      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.name()).isEqualTo("runs-twice");
      assertThat(second.state()).isEqualTo(ContainerInfo.State.EXITED);
      assertThat(second.exitCode()).isEqualTo(2);
      assertThat(second.startedAt()).isAfter(first.startedAt());
      assertThat(second.finishedAt()).isAfter(first.finishedAt());
      assertThat(c.logs()).isEqualTo("runs=1\nruns=2\n");
    }
  }

  @Test
  void start_runningContainer_leavesItRunning() throws Exception {
    try (Container c = busybox.run("sleep", "60")) {
      long pid = c.inspect().pid();
      c.start();
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.RUNNING);
      assertThat(c.inspect().pid()).isEqualTo(pid);
    }
  }

  @Test
  void start_removedContainer_throwsNoSuchContainer() {
    Container c = busybox.create(RunOptions.command("true"));
    c.remove(false);
    assertThatThrownBy(c::start).isInstanceOf(BerthException.class)
        .hasMessageContaining("No such container").hasMessageContaining(c.id());
  }

  @Test
  void start_autoRemoveContainerThatExited_throwsItIsGone() throws Exception {
    Container c = busybox.create(RunOptions.builder().autoRemove(true).command("true").build());
    c.start();
    assertThat(c.waitFor()).isZero();
    awaitGone(c.id());
    assertThatThrownBy(c::start).isInstanceOf(BerthException.class)
        .hasMessageContaining("No such container").hasMessageContaining("autoRemove");
  }

  @Test
  void start_createdByAnotherEngine_takesEveryOptionFromDisk() throws Exception {
    RunOptions opts = RunOptions.builder().name("made-elsewhere").detach(true)
        .env("GREETING", "from disk").workingDir("/tmp").hostname("elsewhere")
        .label("made", "by-first").memory(64L << 20).pidsLimit(50).capDrop("NET_RAW")
        .command("sh", "-c", "echo $GREETING in $(pwd) on $(hostname); sleep 30")
        .build();
    String id = berth.create("busybox", opts).id();
    try (Berth other = Berth.builder().home(home).build()) {
      Container c = other.container("made-elsewhere");
      c.start();
      awaitLog(c, "from disk in /tmp on elsewhere\n");
      assertThat(c.stats().memoryLimitBytes()).isEqualTo(64L << 20);
      assertThat(c.inspect().options()).isEqualTo(opts);
      c.remove(true);
    }
    assertThat(berth.containers(true)).extracting(ContainerInfo::id).doesNotContain(id);
  }

  @Test
  void restart_runningContainer_stopsItAndStartsItAgain() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().detach(true)
        .command("sh", "-c", "echo up; trap 'exit 0' TERM; sleep 60 & wait").build())) {
      long firstPid = c.inspect().pid();
      c.restart(Duration.ofSeconds(5));
      ContainerInfo info = c.inspect();
      assertThat(info.state()).isEqualTo(ContainerInfo.State.RUNNING);
      assertThat(info.pid()).isNotEqualTo(firstPid);
      assertThat(c.isAlive()).isTrue();
      awaitLog(c, "up\nup\n");
    }
  }

  @Test
  void restart_exitedContainer_startsIt() throws Exception {
    try (Container c = busybox.run(RunOptions.command("sh", "-c", "exit 3"))) {
      assertThat(c.waitFor()).isEqualTo(3);
      c.restart(Duration.ofSeconds(1));
      assertThat(c.waitFor()).isEqualTo(3);
      assertThat(c.inspect().exitCode()).isEqualTo(3);
    }
  }

  @Test
  void waitFor_onACreatedContainerFoundByName_waitsForItsStartAndExit() throws Exception {
    try (Container created = busybox.create(RunOptions.builder().name("waited-for")
        .command("sh", "-c", "exit 5").build())) {
      Container found = berth.container("waited-for");
      var exit = found.onExit();
      Thread.sleep(300);
      assertThat(exit).isNotDone();
      created.start();
      assertThat(exit.get(30, java.util.concurrent.TimeUnit.SECONDS).exitValue()).isEqualTo(5);
    }
  }

  @Test
  void waitFor_afterAStartThroughAnotherHandle_waitsForTheNewRun() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().name("restarted-elsewhere").detach(true)
        .command("sh", "-c", "sleep 0.5; exit 4").build())) {
      assertThat(c.waitFor()).isEqualTo(4);
      berth.container("restarted-elsewhere").start();
      assertThat(c.isAlive()).isTrue();
      assertThat(c.waitFor(Duration.ofMillis(50))).isFalse();
      assertThat(c.waitFor()).isEqualTo(4);
      assertThat(c.exitValue()).isEqualTo(4);
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.EXITED);
    }
  }

  @Test
  void run_withRemoveWithJvm_stillRunsAndIsRemovedWithItsOptions() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().removeWithJvm(true).command("true").build())) {
      assertThat(c.waitFor()).isZero();
      assertThat(c.inspect().options().removeWithJvm()).isTrue();
    }
  }

  private static void awaitGone(String id) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (berth.containers(true).stream().anyMatch(i -> i.id().equals(id))) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void awaitLog(Container c, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!c.logs().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(c.logs()).isEqualTo(expected);
  }
}
