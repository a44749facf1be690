package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.ContainerInfo;
import dev.berth.testsupport.ChildJvm;
import dev.berth.testsupport.FixtureEngines;
import dev.berth.testsupport.RemoteDiffers;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** A test JVM killed with SIGKILL leaves no fixture container behind: no helper container. */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
@RemoteDiffers("the holder JVM here also opens the local engine's home (a killed client's"
    + " containers going through a remote engine: RemoteEngineContract's reaper tests,"
    + " RemoteSessionReapTest)")
class CrashCleanupTest {
  static Berth engine;

  @BeforeAll
  static void engine() {
    engine = FixtureEngines.with("busybox");
  }

  /** Starts the holder JVM and returns its container's id once it is ready. */
  private static String startHolder(Process child) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("started ")) {
        return line.substring("started ".length());
      }
    }
    throw new AssertionError("the holder JVM ended without starting its fixture");
  }

  private static Optional<ContainerInfo> find(String id) {
    return engine.containers(true).stream().filter(i -> i.id().equals(id)).findFirst();
  }

  private static Process holder(String mode) throws Exception {
    return ChildJvm.start(FixtureHolderMain.class, engine.home().toString(),
        FixtureEngines.registryHost("busybox"), mode);
  }

  @Test
  void ownerJvmKilled_containerIsKilledAndRemovedWithinSeconds() throws Exception {
    Process child = holder("owned");
    String id = startHolder(child);
    assertThat(find(id)).hasValueSatisfying(i -> assertThat(i.isRunning()).isTrue());
    child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no JUnit cleanup
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (find(id).isPresent() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(find(id)).as("container of the killed JVM").isEmpty();
  }

  @Test
  void reusedFixture_outlivesItsKilledJvm() throws Exception {
    Process child = holder("reuse");
    String id = startHolder(child);
    try {
      child.destroyForcibly().waitFor();
      Thread.sleep(1000);
      assertThat(find(id)).hasValueSatisfying(i -> assertThat(i.isRunning()).isTrue());
    } finally {
      engine.container(id).remove(true);
    }
  }
}
