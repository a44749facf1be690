package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BuiltImages;
import dev.berth.testsupport.Registries;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node test image as Berth builds it from src-test-images/containerfiles/node (FROM
 * debian-base, apt-get in a RUN step with the host's network), pulled into a fresh store and run.
 */
class BuiltNodeImageTest {
  /** Polls the app until it answers, so the test does not race the server's start. */
  private static final String ASK_APP = "const http = require('http');"
      + "setTimeout(() => process.exit(2), 20000);"
      + "require('/app/server.js');"
      + "const ask = n => http.get('http://127.0.0.1:3000/', r => {"
      + "  r.pipe(process.stdout); r.on('end', () => process.exit(0)); })"
      + "  .on('error', e => n > 0 ? setTimeout(() => ask(n - 1), 100) : process.exit(1));"
      + "ask(50);";

  @TempDir static Path home;
  static Berth berth;
  static Image node;

  @BeforeAll
  static void pull() {
    assumeTrue(Linux.isRoot(), "building with RUN and running containers needs root here");
    TestRegistry reg = BuiltImages.pushed("node", Registries.plainWith());
    berth = Registries.engine(home, reg);
    node = berth.pull("node-built");
  }

  @AfterAll
  static void close() {
    if (berth != null) {
      berth.close();
    }
  }

  private static String output(String... command) throws Exception {
    try (Container c = node.run(command)) {
      String out = new String(c.getInputStream().readAllBytes());
      assertThat(c.waitFor()).as(out).isZero();
      return out;
    }
  }

  @Test
  void nodeVersion_isDebianBookwormsNode() throws Exception {
    // bookworm's nodejs package is 18.x
    assertThat(output("node", "--version")).startsWith("v18.");
  }

  @Test
  void appLayer_serverAnswersHello() throws Exception {
    // the server logs "listening on 3000" first
    assertThat(output("node", "-e", ASK_APP)).endsWith("\nhello from berth\n");
  }

  @Test
  void config_isTheContainerfiles() {
    var info = node.inspect();
    assertThat(info.cmd()).containsExactly("node");
    assertThat(info.workingDir()).isEqualTo("/app");
    assertThat(info.exposedPorts()).containsExactly("3000/tcp");
    assertThat(info.env()).contains("NODE_ENV=production");
    assertThat(info.labels()).containsEntry("org.opencontainers.image.title", "berth-test-node");
  }

  @Test
  void aptLists_removedInTheSameRun_areNotInTheImage() throws Exception {
    assertThat(output("sh", "-c", "ls /var/lib/apt/lists | wc -l").strip()).isEqualTo("0");
  }
}
