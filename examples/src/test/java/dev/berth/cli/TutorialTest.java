package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's tutorial section cannot rot: its {@code ```sh} blocks run, as written, in one shell from the
 * repository root (BERTH_HOME and the test registry as mirror in the environment), and its
 * {@code ```java} block is the source of the example it says it is.
 */
class TutorialTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DOC = ROOT.resolve("README.md");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```$");

  @TempDir static Path home;
  private static Cli.Result run;

  @BeforeAll
  static void runTheShellBlocks() throws IOException {
    Assume.rootAndRegistry();
    StringBuilder script = new StringBuilder("set -e\n");
    List<String> blocks = blocks("sh");
    for (int i = 0; i < blocks.size(); i++) {
      script.append("echo '### block ").append(i + 1).append("'\n").append(blocks.get(i));
    }
    run = new Cli(home).shIn(ROOT, script.toString());
  }

  @Test
  void shBlocks_allRunAsWritten_andSucceed() {
    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void pullNode_printsDockersStatusLine() {
    assertThat(run.stdout()).contains("Status: Downloaded newer image for node:latest\n");
  }

  @Test
  void runNodeVersion_printsTheImagesNode() {
    assertThat(run.stdout()).containsPattern("(?m)^v18\\.\\d+\\.\\d+$");
  }

  @Test
  void psAll_showsTwoExitedContainersOfTheOneImage() {
    String ps = section(run.stdout(), 4);
    assertThat(ps.lines().filter(l -> l.matches("[0-9a-f]{12} +node +.*Exited \\(0\\).*")))
        .hasSize(2);
  }

  @Test
  void jshellScript_printsTheImageAndThePsTable() {
    assertThat(section(run.stdout(), 6)).contains("docker.io/library/node:latest  ")
        .contains("CONTAINER ID   IMAGE");
  }

  @Test
  void javaBlock_isTheExampleSourceItNames() throws IOException {
    assertThat(blocks("java")).containsExactly(Files.readString(
        ROOT.resolve("examples/src/main/java/dev/berth/examples/Tutorial.java")));
  }

  private static List<String> blocks(String language) throws IOException {
    List<String> found = new ArrayList<>();
    Matcher m = FENCE.matcher(tutorial());
    while (m.find()) {
      if (m.group(1).equals(language)) {
        found.add(m.group(2));
      }
    }
    return found;
  }

  /** The README from its tutorial heading to the next second-level heading. */
  private static String tutorial() throws IOException {
    String readme = Files.readString(DOC);
    int start = readme.indexOf("\n## Tutorial");
    assertThat(start).as("README.md has a \"## Tutorial\" section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return end < 0 ? readme.substring(start) : readme.substring(start, end);
  }

  /** @return what the {@code n}th sh block printed */
  private static String section(String out, int n) {
    int start = out.indexOf("### block " + n + "\n");
    int end = out.indexOf("### block " + (n + 1) + "\n");
    assertThat(start).as("output of block " + n + " in:\n" + out).isNotNegative();
    return end < 0 ? out.substring(start) : out.substring(start, end);
  }
}
