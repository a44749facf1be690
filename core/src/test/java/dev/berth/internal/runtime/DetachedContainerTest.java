package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor outlives the JVM that started the container, and goes on logging. */
class DetachedContainerTest {
  @TempDir Path tmp;

  @Test
  void launchingJvmDies_containerRunsOnAndItsExitIsRecorded() throws Exception {
    ContainerHarness harness = new ContainerHarness(tmp);
    Path dir = Files.createDirectories(tmp.resolve("detached"));
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process launcher = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            DetachedLaunchMain.class.getName(), new HelperBinary(tmp.resolve("bin")).path().toString(),
            harness.lower().toString(), dir.toString(), "sh", "-c", "sleep 1; echo after the jvm; exit 4")
        .redirectErrorStream(true)
        .start();
    String said = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(launcher.waitFor()).as(said).isZero();
    assertThat(said).startsWith("launched ");

    ContainerState state = awaitExit(dir.resolve("state.json"), Duration.ofSeconds(20));
    assertThat(state.exitCode()).isEqualTo(4);
    assertThat(Files.readString(dir.resolve("container.log"))).contains("\"log\":\"after the jvm\\n\",\"stream\":\"stdout\"");
  }

  private static ContainerState awaitExit(Path stateFile, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      var s = ContainerState.read(stateFile);
      if (s.isPresent() && s.get().exited()) return s.get();
      Thread.sleep(50);
    }
    throw new AssertionError("the container did not exit within " + timeout + "; state: " + ContainerState.read(stateFile));
  }
}
