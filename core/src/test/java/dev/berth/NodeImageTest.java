package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-layer node test image (Debian bookworm + nodejs + an app), pulled as `node`. */
class NodeImageTest {
  @TempDir Path home;

  @Test
  void nodeVersion_insideIsTheImagesNode_notTheHosts() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    TestRegistry reg = Registries.plainWith("node");
    try (Berth berth = Registries.engine(home, reg)) {
      Image node = berth.pull("node");
      ImageInfo info = node.inspect();
      assertThat(info.cmd()).containsExactly("node");
      assertThat(info.workingDir()).isEqualTo("/app");
      assertThat(info.exposedPorts()).containsExactly("3000/tcp");
      assertThat(info.layers()).hasSize(3);
      try (Container c = node.run("node", "--version")) {
        String inside = new String(c.getInputStream().readAllBytes()).strip();
        assertThat(c.waitFor()).isZero();
        // Debian bookworm's nodejs package is 18.x, whatever the host has (or lacks)
        assertThat(inside).startsWith("v18.");
        assertThat(inside).isNotEqualTo(hostNodeVersion());
      }
      try (Container c = node.run("node", "-e", "console.log(process.cwd(), process.env.NODE_ENV)")) {
        assertThat(new String(c.getInputStream().readAllBytes())).isEqualTo("/app production\n");
      }
    }
  }

  @Test
  void runNode_withoutTty_exitsAtOnceWithZero_asDockerDoes() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    TestRegistry reg = Registries.plainWith("node");
    try (Berth berth = Registries.engine(home, reg); Container c = berth.run("node", RunOptions.builder().build())) {
      assertThat(c.waitFor()).isZero(); // the REPL reads an empty stdin and ends
    }
  }

  private static String hostNodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      String v = new String(p.getInputStream().readAllBytes()).strip();
      return p.waitFor() == 0 ? v : "none";
    } catch (Exception e) {
      return "none";
    }
  }
}
