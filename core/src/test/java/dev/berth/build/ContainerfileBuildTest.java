package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.BuildFailedException;
import dev.berth.BuildOptions;
import dev.berth.BuildStep;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containerfile builds on the busybox test image: multi-stage, RUN, COPY --from, ARG, cache. */
class ContainerfileBuildTest {
  static final String MULTI_STAGE = """
      # syntax=docker/dockerfile:1
      ARG GREETING=hello
      FROM busybox AS build
      ARG GREETING
      ARG WHO=world
      WORKDIR /src
      COPY msg.txt ./
      RUN echo "$GREETING $WHO: $(cat msg.txt)" > out.txt \\
       && mkdir -p /opt/app && cp out.txt /opt/app/
      FROM busybox
      ENV APP_HOME=/app
      COPY --from=build /opt/app/out.txt ${APP_HOME}/
      COPY static/ /static/
      RUN ls /static > /app/listing.txt
      LABEL org.example.kind="built by berth"
      EXPOSE 8080
      CMD ["sh", "-c", "cat /app/out.txt /app/listing.txt"]
      """;

  @TempDir static Path home;
  static Berth berth;

  @BeforeAll
  static void engine() {
    assumeTrue(Linux.isRoot(), "RUN steps run containers, which needs root here");
    TestRegistry reg = Registries.plainWith("busybox");
    berth = Registries.engine(home, reg);
  }

  @AfterAll
  static void close() {
    if (berth != null) {
      berth.close();
    }
  }

  private static Path context(Path dir, String containerfile) throws Exception {
    Files.writeString(dir.resolve("Containerfile"), containerfile);
    Files.writeString(dir.resolve("msg.txt"), "from the context");
    Files.createDirectories(dir.resolve("static/sub"));
    Files.writeString(dir.resolve("static/a.css"), "a{}");
    Files.writeString(dir.resolve("static/sub/b.js"), "b()");
    Files.writeString(dir.resolve("static/secret.key"), "no");
    Files.writeString(dir.resolve(".dockerignore"), "**/*.key\n");
    return dir;
  }

  private static List<BuildStep> build(Path context, List<BuildStep> steps, String... args) {
    BuildOptions.Builder o = BuildOptions.builder(context).tag("built:latest")
        .listener(steps::add);
    for (int i = 0; i < args.length; i += 2) {
      o.buildArg(args[i], args[i + 1]);
    }
    ImageBuilder.build(berth, o.build());
    return steps;
  }

  private static String output(Image image) throws Exception {
    try (Container c = image.run()) {
      String out = new String(c.getInputStream().readAllBytes());
      assertThat(c.waitFor()).isZero();
      return out;
    }
  }

  @Test
  void build_multiStageWithRunCopyFromAndArg_imageRunsWithTheBuiltFiles(@TempDir Path dir)
      throws Exception {
    Image image = ImageBuilder.build(berth, BuildOptions.builder(context(dir, MULTI_STAGE))
        .tag("multi:1").buildArg("WHO", "berth").build());

    assertThat(output(image)).isEqualTo("hello berth: from the context\na.css\nsub\n");
    assertThat(image.inspect().toString()).contains("8080/tcp");
  }

  @Test
  void rebuild_noChange_takesEveryStepFromTheCacheAndGivesTheSameId(@TempDir Path dir)
      throws Exception {
    context(dir, MULTI_STAGE);
    build(dir, new ArrayList<>());
    String first = berth.image("built:latest").id().toString();

    List<BuildStep> again = build(dir, new ArrayList<>());

    assertThat(again).filteredOn(s -> s.instruction().matches("(RUN|COPY).*"))
        .allMatch(BuildStep::cached).hasSize(5);
    assertThat(berth.image("built:latest").id().toString()).isEqualTo(first);
  }

  @Test
  void rebuild_oneChangedFile_rerunsOnlyTheStepsAfterIt(@TempDir Path dir) throws Exception {
    context(dir, MULTI_STAGE);
    build(dir, new ArrayList<>());
    Files.writeString(dir.resolve("static/a.css"), "a{color:red}");

    List<BuildStep> again = build(dir, new ArrayList<>());

    assertThat(again).filteredOn(s -> !s.cached() && s.instruction().matches("(RUN|COPY).*"))
        .extracting(BuildStep::instruction)
        .containsExactly("COPY static/ /static/", "RUN ls /static > /app/listing.txt");
  }

  @Test
  void rebuild_changedBuildArg_rerunsTheRunThatSeesIt(@TempDir Path dir) throws Exception {
    context(dir, MULTI_STAGE);
    build(dir, new ArrayList<>(), "WHO", "a");

    List<BuildStep> again = build(dir, new ArrayList<>(), "WHO", "b");

    assertThat(again).filteredOn(s -> s.instruction().startsWith("RUN echo"))
        .extracting(BuildStep::cached).containsExactly(false);
  }

  @Test
  void build_failingRun_throwsBuildFailedWithTheExitCode(@TempDir Path dir) throws Exception {
    context(dir, "FROM busybox\nRUN exit 3\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .isInstanceOfSatisfying(BuildFailedException.class, e -> {
          assertThat(e.exitCode()).isEqualTo(3);
          assertThat(e.step()).isEqualTo("RUN exit 3");
        });
  }

  @Test
  void build_unsupportedInstruction_namesTheLineAndInstruction(@TempDir Path dir)
      throws Exception {
    context(dir, "FROM busybox\n\nFROBNICATE x\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("line 3: FROBNICATE: unknown or unsupported instruction");
  }

  @Test
  void build_copyOfMissingFile_namesTheSource(@TempDir Path dir) throws Exception {
    context(dir, "FROM busybox\nCOPY nothere.txt /x\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .hasMessageContaining("nothere.txt not found in the build context");
  }

  @Test
  void build_copyOfIgnoredFile_isRefusedAsNotFound(@TempDir Path dir) throws Exception {
    context(dir, "FROM busybox\nCOPY static/secret.key /x\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .hasMessageContaining("static/secret.key not found in the build context");
  }

  @Test
  void build_remoteAddSource_isRefusedWithAdvice(@TempDir Path dir) throws Exception {
    context(dir, "FROM busybox\nADD https://example.com/x.tgz /x\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .hasMessageContaining("line 2: ADD: remote sources are not supported");
  }

  @Test
  void build_withoutFrom_saysAContainerfileStartsWithFrom(@TempDir Path dir) throws Exception {
    context(dir, "RUN true\n");

    assertThatThrownBy(() -> build(dir, new ArrayList<>()))
        .hasMessageContaining("line 1: RUN: the first instruction must be FROM");
  }
}
