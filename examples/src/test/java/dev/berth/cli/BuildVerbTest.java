package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build: steps as Docker's plain progress, the cache, RUN output, failures, then run. */
class BuildVerbTest {
  private static final String CONTAINERFILE = """
      FROM busybox
      COPY hello.txt /hello.txt
      RUN echo built > /built.txt
      CMD ["cat", "/hello.txt", "/built.txt"]
      """;

  @TempDir Path home;
  @TempDir Path context;
  private Cli cli;

  @BeforeEach
  void setUp() throws IOException {
    Assume.rootAndRegistry();
    cli = new Cli(home);
    Files.writeString(context.resolve("hello.txt"), "hello\n");
    containerfile(CONTAINERFILE);
  }

  @AfterEach
  void removeContainers() {
    if (cli != null) {
      cli.removeAllContainers();
    }
  }

  private void containerfile(String text) throws IOException {
    Files.writeString(context.resolve("Containerfile"), text);
  }

  private Cli.Result build(String... flags) {
    String[] args = new String[flags.length + 2];
    args[0] = "build";
    System.arraycopy(flags, 0, args, 1, flags.length);
    args[args.length - 1] = context.toString();
    return cli.berth(args);
  }

  @Test
  void build_printsEachStepAndTheName() {
    Cli.Result r = build("-t", "myapp:1");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).containsPattern("(?m)^#\\d+ COPY hello.txt /hello.txt$")
        .containsPattern("(?m)^#\\d+ RUN echo built > /built.txt$")
        .containsPattern("(?m)^#\\d+ writing image sha256:[0-9a-f]{64} done$")
        .endsWith(" naming to docker.io/library/myapp:1 done\n");
  }

  @Test
  void build_thenRun_runsTheBuiltImage() {
    build("-t", "myapp:1");
    Cli.Result r = cli.berth("run", "--rm", "myapp:1");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("hello\nbuilt\n");
  }

  @Test
  void build_again_takesTheStepsFromTheCache() {
    build("-t", "myapp:1");
    Cli.Result r = build("-t", "myapp:1");
    assertThat(r.stdout()).as(r.toString()).contains("COPY hello.txt /hello.txt (cached)\n")
        .contains("RUN echo built > /built.txt (cached)\n");
  }

  @Test
  void build_noCache_runsEveryStepAgain() {
    build("-t", "myapp:1");
    Cli.Result r = build("--no-cache", "-t", "myapp:1");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).doesNotContain("(cached)");
  }

  @Test
  void build_runOutput_isPrinted() throws IOException {
    containerfile("FROM busybox\nRUN echo said-by-run\n");
    assertThat(build().stdout()).contains("said-by-run\n");
  }

  @Test
  void build_twoTags_namesTheImageTwice() {
    build("-t", "one:1", "-t", "two:2");
    assertThat(cli.berth("images").stdout()).containsPattern("(?m)^one +1 ")
        .containsPattern("(?m)^two +2 ");
  }

  @Test
  void build_buildArg_reachesRun() throws IOException {
    containerfile("FROM busybox\nARG GREETING=unset\nRUN echo $GREETING > /g\nCMD [\"cat\", \"/g\"]\n");
    build("--build-arg", "GREETING=hello", "-t", "args:1");
    assertThat(cli.berth("run", "--rm", "args:1").stdout()).isEqualTo("hello\n");
  }

  @Test
  void build_target_stopsAtThatStage() throws IOException {
    containerfile("FROM busybox AS first\nRUN echo first > /stage\n"
        + "FROM busybox\nRUN echo second > /stage\n");
    build("--target", "first", "-t", "staged:1");
    assertThat(cli.berth("run", "--rm", "staged:1", "cat", "/stage").stdout())
        .isEqualTo("first\n");
  }

  @Test
  void build_fileFlag_readsThatFile() throws IOException {
    Files.writeString(context.resolve("Other.containerfile"), "FROM busybox\nCMD [\"echo\", \"other\"]\n");
    build("-f", context.resolve("Other.containerfile").toString(), "-t", "other:1");
    assertThat(cli.berth("run", "--rm", "other:1").stdout()).isEqualTo("other\n");
  }

  @Test
  void build_quiet_printsOnlyTheImageId() {
    Cli.Result r = build("-q");
    assertThat(r.stdout()).as(r.toString()).matches("sha256:[0-9a-f]{64}\n");
  }

  @Test
  void build_failingRun_exits1NamingTheStepAndItsExitCode() throws IOException {
    containerfile("FROM busybox\nRUN exit 3\n");
    Cli.Result r = build("-t", "broken:1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("RUN exit 3")
        .contains("non-zero code: 3");
    assertThat(cli.berth("images").stdout()).doesNotContain("broken");
  }

  @Test
  void build_missingFile_exits1NamingIt() {
    Cli.Result r = build("-f", context.resolve("Nope").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("Nope").contains("-f");
  }

  @Test
  void build_missingContext_exits1NamingIt() {
    Cli.Result r = cli.berth("build", context.resolve("nowhere").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("unable to prepare context").contains("nowhere");
  }

  @Test
  void build_invalidTag_exits125() {
    Cli.Result r = build("-t", "Bad Tag");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("Bad Tag");
  }

  @Test
  void build_buildArgWithoutName_exits125() {
    Cli.Result r = build("--build-arg", "=x");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("--build-arg '=x'");
  }
}
