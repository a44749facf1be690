package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth run -it} in a real pseudo-terminal (tmux): raw mode, Ctrl-D, window sizes. */
class InteractiveRunTest {
  @TempDir Path home;
  @TempDir Path out;
  private Cli cli;

  @BeforeEach
  void setUp() {
    Assume.tmux();
    cli = new Cli(home);
  }

  @Test
  void runIt_node_evaluatesInTheRepl_ctrlDExitsZero_andTheTerminalIsRestored() throws Exception {
    cli.berth("pull", "node");
    try (Tmux tmux = new Tmux(cli.env(), 100, 30)) {
      tmux.type("stty -a > " + out.resolve("before") + "; berth run -it node; echo \"exit=$?\"; "
          + "stty -a > " + out.resolve("after"));
      tmux.await("the node prompt", InteractiveRunTest::showsNodePrompt);
      tmux.type("1+1");
      tmux.await("the REPL's answer", s -> s.lines().anyMatch(l -> l.strip().equals("2")));
      tmux.send("C-d");
      assertThat(tmux.await("berth to exit", InteractiveRunTest::showsExitStatus))
          .containsPattern("(?m)^exit=0$");
      tmux.await("stty -a afterwards", s -> Files.exists(out.resolve("after")));
      Thread.sleep(200); // the redirect has created the file; let stty finish writing it
      assertThat(Files.readString(out.resolve("after")))
          .isEqualTo(Files.readString(out.resolve("before")));
    }
  }

  @Test
  void runIt_node_ctrlCGoesToTheContainer_notToBerth() throws Exception {
    cli.berth("pull", "node");
    try (Tmux tmux = new Tmux(cli.env(), 100, 30)) {
      tmux.type("berth run -it node; echo \"exit=$?\"");
      tmux.await("the node prompt", InteractiveRunTest::showsNodePrompt);
      tmux.send("C-c");
      // node's REPL answers one Ctrl-C with a hint, and stays: berth did not die of SIGINT
      tmux.await("node's Ctrl-C hint", s -> s.contains("(To exit, press Ctrl+C again"));
      assertThat(showsExitStatus(tmux.screen())).isFalse();
      tmux.send("C-d");
      assertThat(tmux.await("berth to exit", InteractiveRunTest::showsExitStatus))
          .containsPattern("(?m)^exit=0$");
    }
  }

  @Test
  void runIt_busyboxSh_seesThePaneSize_andResizes() throws Exception {
    cli.berth("pull", "busybox");
    try (Tmux tmux = new Tmux(cli.env(), 100, 30)) {
      tmux.type("berth run -it busybox sh; echo \"exit=$?\"");
      tmux.await("the shell prompt", s -> s.contains("# "));
      tmux.type("stty size");
      String size = tmux.paneSize();
      tmux.await("stty size " + size, s -> s.lines().anyMatch(l -> l.strip().equals(size)));
      tmux.resize(70, 20);
      String resized = tmux.paneSize();
      assertThat(resized).isNotEqualTo(size);
      Thread.sleep(500); // SIGWINCH reaches berth, which resizes the container's terminal
      tmux.type("stty size");
      tmux.await("stty size " + resized, s -> s.lines().anyMatch(l -> l.strip().equals(resized)));
      tmux.type("exit 7");
      assertThat(tmux.await("berth to exit", InteractiveRunTest::showsExitStatus))
          .containsPattern("(?m)^exit=7$");
    }
  }

  @AfterEach
  void removeContainers() {
    if (cli != null) {
      cli.removeAllContainers(); // a failed test may leave a container running
    }
  }

  /** The echo's output, not the typed command line that contains "exit=$?". */
  private static boolean showsExitStatus(String screen) {
    return screen.lines().anyMatch(l -> l.matches("exit=\\d+"));
  }

  private static boolean showsNodePrompt(String screen) {
    return screen.lines().anyMatch(l -> l.strip().equals(">"));
  }
}
