package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.BuildOptions;
import dev.berth.ImageBuilder;
import dev.berth.ImageInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How instructions read their arguments: ARG scope around FROM, ENV and LABEL forms, exec and
 * shell form, refused flags. FROM scratch with config-only steps, so no container runs.
 */
class ContainerfileVariablesTest {
  @TempDir static Path home;
  static Berth berth;
  @TempDir Path context;

  @BeforeAll
  static void engine() {
    berth = Berth.builder().home(home).build();
  }

  @AfterAll
  static void close() {
    berth.close();
  }

  private ImageInfo build(String containerfile, String... buildArgs) throws Exception {
    Files.writeString(context.resolve("Containerfile"), containerfile);
    BuildOptions.Builder o = BuildOptions.builder(context);
    for (int i = 0; i < buildArgs.length; i += 2) {
      o.buildArg(buildArgs[i], buildArgs[i + 1]);
    }
    return ImageBuilder.build(berth, o.build()).inspect();
  }

  @Test
  void argBeforeFrom_isNotVisibleInTheStageUntilDeclaredAgain() throws Exception {
    ImageInfo i = build("ARG V=global\nFROM scratch\nLABEL before=\"[$V]\"\nARG V\n"
        + "LABEL after=\"[$V]\"\n");
    assertThat(i.labels()).containsEntry("before", "[]").containsEntry("after", "[global]");
  }

  @Test
  void argBeforeFrom_expandsInFrom() throws Exception {
    ImageInfo i = build("ARG BASE=scratch\nFROM ${BASE}\nLABEL ok=yes\n");
    assertThat(i.labels()).containsEntry("ok", "yes");
  }

  @Test
  void buildArg_overridesTheDefaultOfArg() throws Exception {
    ImageInfo i = build("FROM scratch\nARG V=default\nLABEL v=$V\n", "V", "given");
    assertThat(i.labels()).containsEntry("v", "given");
  }

  @Test
  void argDeclaredInOneStage_isNotVisibleInTheNext() throws Exception {
    ImageInfo i = build("FROM scratch AS a\nARG V=first\nFROM scratch\nLABEL v=\"[$V]\"\n");
    assertThat(i.labels()).containsEntry("v", "[]");
  }

  @Test
  void env_winsOverArgOfTheSameName() throws Exception {
    ImageInfo i = build("FROM scratch\nARG V=arg\nENV V=env\nLABEL v=$V\n");
    assertThat(i.labels()).containsEntry("v", "env");
  }

  @Test
  void env_keyValueForm_setsSeveralWithQuotesAndEarlierValues() throws Exception {
    ImageInfo i = build("FROM scratch\nENV A=1 B=\"two words\" C=${A}x\n");
    assertThat(i.env()).contains("A=1", "B=two words", "C=x");
  }

  @Test
  void env_legacyForm_takesTheRestOfTheLineAsTheValue() throws Exception {
    ImageInfo i = build("FROM scratch\nENV GREETING hello big world\n");
    assertThat(i.env()).contains("GREETING=hello big world");
  }

  @Test
  void env_laterInstruction_seesEarlierEnv() throws Exception {
    ImageInfo i = build("FROM scratch\nENV A=1\nENV B=${A}2\n");
    assertThat(i.env()).contains("B=12");
  }

  @Test
  void label_keyValueForm_acceptsQuotedKeysAndValues() throws Exception {
    ImageInfo i = build("FROM scratch\nLABEL a=b \"c d\"=\"e f\" \\\n  g='$h'\n");
    assertThat(i.labels()).containsEntry("a", "b").containsEntry("c d", "e f")
        .containsEntry("g", "$h");
  }

  @Test
  void label_legacyForm_takesTheRestAsTheValue() throws Exception {
    ImageInfo i = build("FROM scratch\nLABEL description a small image\n");
    assertThat(i.labels()).containsEntry("description", "a small image");
  }

  @Test
  void cmd_execForm_isTakenAsWritten() throws Exception {
    assertThat(build("FROM scratch\nCMD [\"echo\", \"$HOME\"]\n").cmd())
        .containsExactly("echo", "$HOME");
  }

  @Test
  void cmd_shellForm_isWrappedInTheShell() throws Exception {
    assertThat(build("FROM scratch\nCMD echo $HOME\n").cmd())
        .containsExactly("/bin/sh", "-c", "echo $HOME");
  }

  @Test
  void cmd_malformedJson_fallsBackToShellFormAsDockerDoes() throws Exception {
    assertThat(build("FROM scratch\nCMD [echo, hi]\n").cmd())
        .containsExactly("/bin/sh", "-c", "[echo, hi]");
  }

  @Test
  void entrypoint_shellForm_usesTheShellSetBySHELL() throws Exception {
    ImageInfo i = build("FROM scratch\nSHELL [\"/bin/bash\", \"-ec\"]\nENTRYPOINT run me\n");
    assertThat(i.entrypoint()).containsExactly("/bin/bash", "-ec", "run me");
  }

  @Test
  void unmatchedQuote_isRefusedNamingTheLine() {
    assertThatThrownBy(() -> build("FROM scratch\n\nENV A=\"open\n"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("line 3").hasMessageContaining("unmatched \"");
  }

  @Test
  void unsupportedSubstitution_isRefusedNamingTheLine() {
    assertThatThrownBy(() -> build("FROM scratch\nLABEL a=${A:?x}\n"))
        .hasMessageContaining("line 2").hasMessageContaining("${A:?x}");
  }

  @Test
  void runWithMountFlag_isRefusedNamingTheLineNotIgnored() {
    assertThatThrownBy(() -> build("FROM scratch\nRUN --mount=type=cache,target=/c make\n"))
        .hasMessageContaining("line 2").hasMessageContaining("unsupported flag --mount");
  }

  @Test
  void addWithFrom_isRefusedAsDockerDoes() {
    assertThatThrownBy(() -> build("FROM scratch\nADD --from=x a /b\n"))
        .hasMessageContaining("line 2").hasMessageContaining("--from");
  }

  @Test
  void fromPlatformOfAnotherArchitecture_isRefusedNamingIt() {
    String other = dev.berth.Platform.current().architecture().equals("s390x") ? "amd64"
        : "s390x";
    assertThatThrownBy(() -> build("FROM --platform=linux/" + other + " scratch\n"))
        .hasMessageContaining("line 1").hasMessageContaining("linux/" + other)
        .hasMessageContaining("host");
  }

  @Test
  void fromPlatformOfBuildPlatform_isAccepted() throws Exception {
    assertThat(build("FROM --platform=$BUILDPLATFORM scratch\nLABEL ok=1\n").labels())
        .containsEntry("ok", "1");
  }

  @Test
  void instructionBeforeFrom_isRefusedNamingTheLine() {
    assertThatThrownBy(() -> build("# c\nENV A=1\nFROM scratch\n"))
        .hasMessageContaining("line 2").hasMessageContaining("first instruction must be FROM");
  }
}
