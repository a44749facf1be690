package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.ChildJvm;
import dev.berth.testsupport.DetachedStarter;
import dev.berth.testsupport.Registries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container outlives the JVM that started it, and another JVM sees and manages it. */
class CrossJvmTest {
  @TempDir Path home;

  @Test
  void detachedContainer_startedByOneJvm_isListedLoggedStoppedAndRemovedByAnother() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    TestRegistry reg = Registries.plainWith("busybox");
    Process child = ChildJvm.start(DetachedStarter.class, home.toString(), reg.host(), "outliver");
    String id;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      do {
        line = r.readLine();
      } while (line != null && !line.startsWith("ID "));
      assertThat(line).as("child JVM output").isNotNull();
      id = line.substring(3);
    }
    assertThat(child.waitFor()).isZero();

    try (Berth other = Registries.engine(home, reg)) {
      Container c = other.container("outliver");
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.isAlive()).isTrue();
      assertThat(other.containers(false).toString()).contains("outliver").contains("Up ");
      Thread.sleep(200);
      assertThat(c.logs()).startsWith("tick 0\ntick 1\n");
      c.stop(Duration.ofSeconds(5));
      assertThat(c.waitFor()).isEqualTo(3);
      assertThat(c.logs()).endsWith("bye\n");
      assertThat(other.containers(true).toString()).contains("Exited (3)");
      c.remove(false);
      assertThat(other.containers(true)).isEmpty();
    }
  }

  @Test
  void createdContainer_createdByOneJvm_isStartedByAnotherWithEveryOption() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    TestRegistry reg = Registries.plainWith("busybox");
    Process child = ChildJvm.start(dev.berth.testsupport.CreateOnlyMain.class, home.toString(),
        reg.host(), "made-by-child");
    String id;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      do {
        line = r.readLine();
      } while (line != null && !line.startsWith("ID "));
      assertThat(line).as("child JVM output").isNotNull();
      id = line.substring(3);
    }
    assertThat(child.waitFor()).isZero();

    try (Berth other = Registries.engine(home, reg)) {
      Container c = other.container("made-by-child");
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.CREATED);
      c.start();
      awaitLogs(c, "another JVM in /tmp\n");
      assertThat(c.stats().memoryLimitBytes()).isEqualTo(48L << 20);
      assertThat(c.inspect().options())
          .isEqualTo(dev.berth.testsupport.CreateOnlyMain.options("made-by-child"));
      c.restart(Duration.ofSeconds(1));
      // the same anonymous volume, the same log
      awaitLogs(c, "another JVM in /tmp\nanother JVM in /tmp\nanother JVM in /tmp\n");
      c.remove(true);
      assertThat(other.containers(true)).isEmpty();
    }
  }

  private static void awaitLogs(Container c, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!c.logs().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(c.logs()).isEqualTo(expected);
  }
}
