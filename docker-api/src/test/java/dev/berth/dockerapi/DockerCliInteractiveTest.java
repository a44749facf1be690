package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.MachineLacks;
import dev.berth.testsupport.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker run -it} and {@code docker exec -it} typed into in a real terminal (tmux),
 * against Berth; {@link PodmanCliInteractiveTest} runs the same against podman.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerCliInteractiveTest {
  @TempDir static Path dir;
  CliEngine engine;
  DockerCli docker;

  CliEngine start(Path dir) {
    MachineLacks.assume(Linux.isRoot(), "root: containers through the API run as root here");
    return CliEngine.berth(dir, "busybox");
  }

  @BeforeAll
  void serve() {
    MachineLacks.assume(Files.isExecutable(Path.of("/usr/bin/tmux")),
        "tmux, to drive a real terminal: apt-get install tmux (scripts/lib/deps.sh)");
    engine = start(dir);
    docker = engine.docker;
    engine.provide("busybox");
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void runIt_busyboxSh_runsWhatIsTyped_andExitsWithItsStatus() throws Exception {
    try (Tmux tmux = new Tmux(docker.env(), 100, 30)) {
      tmux.type("docker run -it --rm busybox sh; echo \"exit=$?\"");
      tmux.await("the shell prompt", s -> s.lines().anyMatch(l -> l.strip().equals("/ #")));
      tmux.type("echo answer-$((6*7))");
      tmux.await("the shell's answer", s -> s.lines().anyMatch(l -> l.equals("answer-42")));
      tmux.type("stty size");
      String size = tmux.paneSize();
      tmux.await("stty size " + size, s -> s.lines().anyMatch(l -> l.strip().equals(size)));
      tmux.type("exit 7");
      assertThat(tmux.await("docker to exit", DockerCliInteractiveTest::showsExitStatus))
          .containsPattern("(?m)^exit=7$");
    }
  }

  @Test
  void execIt_intoARunningContainer_sharesItsFiles() throws Exception {
    docker.ok("run", "-d", "--name", "host-of-exec", "busybox", "sh", "-c",
        "echo marker > /tmp/m; sleep 300");
    try (Tmux tmux = new Tmux(docker.env(), 100, 30)) {
      tmux.type("docker exec -it host-of-exec sh; echo \"exit=$?\"");
      tmux.await("the shell prompt", s -> s.lines().anyMatch(l -> l.strip().equals("/ #")));
      tmux.type("cat /tmp/m; tty");
      tmux.await("the file and the terminal", s -> s.lines().anyMatch(l -> l.equals("marker"))
          && s.lines().anyMatch(l -> l.startsWith("/dev/pts/")));
      tmux.send("C-d");
      assertThat(tmux.await("docker to exit", DockerCliInteractiveTest::showsExitStatus))
          .containsPattern("(?m)^exit=0$");
    } finally {
      docker.run("rm", "-f", "host-of-exec");
    }
  }

  /** The echo's output, not the typed command line that contains "exit=$?". */
  static boolean showsExitStatus(String screen) {
    return screen.lines().anyMatch(l -> l.matches("exit=\\d+"));
  }
}
