package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.StoreCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls in other JVMs: killed half way, and two at once into one home. */
class PullCrashTest {
  @TempDir Path home;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("node");
  }

  @Test
  void pull_afterAJvmWasKilledMidPull_succeedsAndLeavesAConsistentStore() throws Exception {
    Process p = pullInAnotherJvm();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("DOWNLOADING")) {
          p.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
          break;
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("killed, not finished").isNotZero();
    List<Path> deadSessions = StoreCheck.sessions(home);
    assertThat(deadSessions).as("the killed JVM left its staging dir").isNotEmpty();

    try (Berth berth = Registries.engine(home, reg)) {
      assertThat(StoreCheck.sessions(home)).doesNotContainAnyElementsOf(deadSessions);
      Image node = berth.pull("node");
      assertThat(node.inspect().layers()).isNotEmpty();
    }
    StoreCheck.assertConsistent(home);
  }

  @Test
  void pull_twoJvmsAtOnce_bothSucceedAndStoreEachLayerOnce() throws Exception {
    Process a = pullInAnotherJvm();
    Process b = pullInAnotherJvm();
    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(a.waitFor(120, TimeUnit.SECONDS) && a.exitValue() == 0).as(outA).isTrue();
    assertThat(b.waitFor(120, TimeUnit.SECONDS) && b.exitValue() == 0).as(outB).isTrue();
    try (Berth berth = Registries.engine(home, reg)) {
      Image node = berth.image("node");
      assertThat(StoreCheck.list(home.resolve("layers")))
          .hasSize(new HashSet<>(node.record().chainIds()).size());
      Set<String> blobs = new HashSet<>(node.record().layerDigests());
      blobs.add(node.id().toString());
      blobs.add(node.manifestDigest().toString());
      assertThat(StoreCheck.list(home.resolve("blobs/sha256"))).hasSize(blobs.size());
    }
    StoreCheck.assertConsistent(home);
  }

  private Process pullInAnotherJvm() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        PullMain.class.getName(), home.toString(), reg.host(), "node")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
