package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM using Berth's API server as a remote engine is killed with SIGKILL: the server sees its
 * session's connection close and removes the containers it made with {@code removeWithJvm}
 * after the grace period; one made without it stays. Real JVMs, a real server, the real docker
 * CLI looking.
 */
class RemoteSessionReapTest {
  private static final long GRACE_MILLIS = 1_500;
  @TempDir static Path dir;
  private static CliEngine engine;

  @BeforeAll
  static void start() {
    System.setProperty("berth.api.sessionGraceMillis", String.valueOf(GRACE_MILLIS));
    engine = CliEngine.berth(dir, "busybox");
  }

  @AfterAll
  static void stop() {
    System.clearProperty("berth.api.sessionGraceMillis");
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void clientKilled_itsRemoveWithJvmContainersGo_othersStay() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), Client.class.getName(),
        "unix://" + dir.resolve("docker.sock")).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    List<String> ids = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; ids.size() < 2 && (line = out.readLine()) != null; ) {
        ids.add(line.strip());
      }
      assertThat(ids).hasSize(2);
      String tied = ids.get(0);
      String kept = ids.get(1);
      assertThat(running()).contains(tied, kept);
      Thread.sleep(GRACE_MILLIS + 500); // alive past the grace: nothing is removed while it lives
      assertThat(running()).contains(tied, kept);

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (all().contains(tied) && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(all()).doesNotContain(tied).contains(kept);
      engine.docker.ok("rm", "-f", kept);
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> running() {
    return engine.docker.ok("ps", "-q", "--no-trunc").lines().toList();
  }

  private static List<String> all() {
    return engine.docker.ok("ps", "-aq", "--no-trunc").lines().toList();
  }

  /** The killed JVM: two detached containers, one tied to it; prints their ids, then waits. */
  public static final class Client {
    public static void main(String[] args) throws Exception {
      Berth berth = Berth.builder().dockerHost(args[0]).build();
      Container tied = berth.run("busybox", RunOptions.builder().command("sleep", "600")
          .detach(true).removeWithJvm(true).build());
      Container kept = berth.run("busybox", RunOptions.builder().command("sleep", "600")
          .detach(true).build());
      System.out.println(tied.id());
      System.out.println(kept.id());
      System.out.flush();
      Thread.sleep(600_000);
    }
  }
}
