package dev.berth.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.ContainerInfo;
import dev.berth.dockerapi.DockerApi;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * Ryuk's job, done by Berth: a Testcontainers JVM killed with SIGKILL leaves no container behind
 * on its BERTH_HOME. Berth only (podman's service outlives its clients by design).
 */
class KilledJvmTest {
  static {
    Engines.setUp();
  }

  @Test
  void sigkilledTestJvm_leavesNoContainer_andItsNetworkGoesWithTheNextServer() throws Exception {
    runChild("kill", (child, id, berth, output, home) -> {
      assertThat(ids(berth.containers(true))).containsExactly(id);
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!berth.containers(true).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(ids(berth.containers(true))).as("containers left by the killed JVM").isEmpty();
      assertThat(berth.networks()).as("its network, until a server starts on the home").hasSize(1);
      Path socket = home.resolve("next.sock");
      try (DockerApi next = DockerApi.serve(berth, socket)) {
        assertThat(berth.networks()).as("networks of the killed JVM, after the next server"
            + " started").isEmpty();
      }
    });
  }

  @Test
  void testJvmThatExits_removesItsContainersAndNetworks_withoutAStackTrace() throws Exception {
    runChild("exit", (child, id, berth, output, home) -> {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM exits").isTrue();
      output.append(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      assertThat(child.exitValue()).as(output.toString()).isZero();
      assertThat(output.toString()).as("what the exiting JVM printed")
          .doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(ids(berth.containers(true))).as("containers left; the JVM printed:\n" + output).isEmpty();
      assertThat(berth.networks()).as("networks left").isEmpty();
    });
  }

  private interface WhileRunning {
    void check(Process child, String containerId, Berth berth, StringBuilder output, Path home)
        throws Exception;
  }

  /** Runs {@link Child} on a home of its own until it has started its container, then checks. */
  private static void runChild(String mode, WhileRunning check) throws Exception {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "berth-killed-");
    Path tmp = Files.createTempDirectory("berth-killed-");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dberth.home=" + home, "-Dberth.registryMirrors=" + Engines.registryHost(),
        // its socket directory, which a SIGKILL leaves, is removed with this one
        "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode)
        .redirectErrorStream(true).start();
    String id = null;
    StringBuilder output = new StringBuilder();
    try {
      BufferedReader in = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        output.append(line).append('\n');
        if (line.startsWith("STARTED ")) {
          id = line.substring("STARTED ".length());
          break;
        }
      }
      assertThat(id).as(output.toString()).isNotNull();
      try (Berth berth = Berth.builder().home(home).build()) {
        check.check(child, id, berth, output, home);
      }
    } finally {
      child.destroyForcibly();
      new ProcessBuilder("rm", "-rf", "--one-file-system", tmp.toString(), home.toString())
          .start().waitFor();
    }
  }

  private static List<String> ids(List<ContainerInfo> containers) {
    return containers.stream().map(ContainerInfo::id).toList();
  }

  /**
   * The test JVM: starts a container on a network of its own through Testcontainers, then waits
   * to be killed ({@code kill}) or exits at once without stopping either ({@code exit}), as a
   * test run that leaves its containers to Testcontainers' clean-up does.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      // not through the test classes: their static setUp would make a registry here too
      GenericContainer<?> c = new GenericContainer<>("busybox:latest")
          .withNetwork(Network.newNetwork())
          .withCommand("sh", "-c", "exec sleep 600");
      c.start();
      System.out.println("STARTED " + c.getContainerId());
      System.out.flush();
      if (args[0].equals("exit")) {
        System.exit(0);
      }
      Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }
  }
}
