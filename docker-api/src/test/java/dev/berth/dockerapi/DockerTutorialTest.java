package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.MachineLacks;
import dev.berth.testsupport.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's tutorial, part "1. From the terminal", word for word with {@code docker} in place of
 * {@code berth}, against Berth served from this JVM. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DockerTutorialTest {
  @TempDir static Path dir;
  static CliEngine engine;
  static DockerCli docker;

  @BeforeAll
  static void serve() {
    MachineLacks.assume(Linux.isRoot(), "root: containers through the API run as root here");
    MachineLacks.assume(Files.isExecutable(Path.of("/usr/bin/tmux")),
        "tmux, to drive a real terminal: apt-get install tmux (scripts/lib/deps.sh)");
    engine = CliEngine.berth(dir, "busybox", "node");
    docker = engine.docker;
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  @Order(1)
  void pullNode_thenImages() {
    DockerCli.Result pull = docker.run("pull", "node");
    assertThat(pull.exitCode()).as(pull.toString()).isZero();
    assertThat(pull.stdout()).contains("Using default tag: latest")
        .contains("Status: Downloaded newer image for node:latest")
        .contains("docker.io/library/node:latest");
    List<String> images = docker.ok("images").lines().toList();
    assertThat(images.get(0)).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
    assertThat(images).anyMatch(l -> l.matches("node +latest +[0-9a-f]{12} +.+ago +\\S+B"));
  }

  @Test
  @Order(2)
  void runNode_withACommand_thenWithItsDefault() {
    assertThat(docker.ok("run", "node", "node", "--version")).matches("v\\d+\\.\\d+\\.\\d+\n");
    DockerCli.Result repl = docker.run("run", "node");
    assertThat(repl.exitCode()).as(repl.toString()).isZero();
  }

  @Test
  @Order(3)
  void psAll_showsBothExited_withNames() {
    List<String> ps = docker.ok("ps", "-a").lines().toList();
    assertThat(ps.get(0)).matches(
        "CONTAINER ID +IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES");
    assertThat(ps).hasSize(3);
    assertThat(ps.get(1))
        .matches("[0-9a-f]{12} +node +\"node\" +.+ ago +Exited \\(0\\) .+ ago +[a-z]+_[a-z]+");
    assertThat(ps.get(2)).matches(
        "[0-9a-f]{12} +node +\"node --version\" +.+ ago +Exited \\(0\\) .+ ago +[a-z]+_[a-z]+");
  }

  @Test
  @Order(4)
  void runIt_node_evaluatesWhatIsTyped() throws Exception {
    try (Tmux tmux = new Tmux(docker.env(), 100, 30)) {
      tmux.type("docker run -it node; echo \"exit=$?\"");
      tmux.await("node's welcome and prompt", s -> s.contains("Welcome to Node.js")
          && s.lines().anyMatch(l -> l.strip().equals(">")));
      tmux.type("1+1");
      tmux.await("the REPL's answer", s -> s.lines().anyMatch(l -> l.strip().equals("2")));
      tmux.type("process.version");
      tmux.await("node's version", s -> s.lines().anyMatch(l -> l.matches("'v\\d+\\.\\d+\\.\\d+'")));
      tmux.send("C-d");
      assertThat(tmux.await("docker to exit", DockerCliInteractiveTest::showsExitStatus))
          .containsPattern("(?m)^exit=0$");
    }
  }

  @Test
  @Order(5)
  void runRm_leavesNoContainer_thenCleanUp() {
    long before = docker.ok("ps", "-a", "-q").lines().count();
    assertThat(docker.ok("run", "--rm", "node", "node", "--version"))
        .matches("v\\d+\\.\\d+\\.\\d+\n");
    assertThat(docker.ok("ps", "-a", "-q").lines()).hasSize((int) before);
    DockerCli.Result clean = docker.shell("docker rm $(docker ps -a -q)");
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(docker.ok("ps", "-a", "-q")).isEmpty();
  }
}
