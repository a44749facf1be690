package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's top. */
class ContainerTopTest {
  @TempDir static Path home;
  static Berth berth;
  static Image busybox;
  static BusyboxEngine engine;

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "lists containers' processes as root; rootless runs are in RootlessTest");
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
  void top_runningContainer_listsItsProcessesAsPsEf() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().detach(true)
        .command("sh", "-c", "sleep 61 & sleep 62 & wait").build())) {
      ContainerInfo info = c.inspect();
      // a forked child shows its parent's command line until it has exec'd
      ContainerTop top = awaitProcesses(c, t -> t.processes().stream().filter(r -> r.get(7).startsWith("sleep")).count() == 2);
      assertThat(top.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
      assertThat(top.processes()).extracting(row -> row.get(7))
          .containsExactly("sh -c sleep 61 & sleep 62 & wait", "sleep 61", "sleep 62");
      List<String> init = top.processes().get(0);
      assertThat(init.get(0)).isEqualTo("root");
      assertThat(init.get(1)).isEqualTo(Long.toString(info.pid()));
      assertThat(top.processes().get(1).get(2)).isEqualTo(Long.toString(info.pid()));
      assertThat(init.get(5)).isEqualTo("?");
      assertThat(init.get(6)).matches("\\d\\d:\\d\\d:\\d\\d");
      assertThat(init.get(4)).matches("\\d\\d:\\d\\d|[A-Z][a-z]{2}\\d\\d");
      assertThat(top.toString()).startsWith("UID").contains("sleep 62");
    }
  }

  @Test
  void top_withTty_showsItsTerminal() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().tty(true).detach(true)
        .command("sleep", "60").build())) {
      assertThat(awaitProcesses(c, t -> !t.processes().isEmpty()).processes().get(0).get(5)).startsWith("pts/");
    }
  }

  @Test
  void top_exitedContainer_throwsNotRunning() throws Exception {
    try (Container c = busybox.run(RunOptions.builder().name("top-exited").command("true").build())) {
      c.waitFor();
      assertThatThrownBy(c::top).isInstanceOf(BerthException.class)
          .hasMessageContaining("container top-exited").hasMessageContaining("is not running");
    }
  }

  @Test
  void top_createdContainer_throwsNotRunning() {
    try (Container c = busybox.create(RunOptions.command("true"))) {
      assertThatThrownBy(c::top).isInstanceOf(BerthException.class).hasMessageContaining("is not running");
    }
  }

  private static ContainerTop awaitProcesses(Container c, java.util.function.Predicate<ContainerTop> ready)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    ContainerTop top = c.top();
    while (!ready.test(top) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      top = c.top();
    }
    return top;
  }
}
