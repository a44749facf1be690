package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull, images, tag, inspect of images, info, version and usage errors, as Docker words them. */
class ImageVerbsTest {
  @TempDir Path home;
  private Cli cli;

  @BeforeEach
  void setUp() {
    Assume.registry();
    cli = new Cli(home);
  }

  @Test
  void pull_busybox_printsDockersTranscriptAndTheFullReference() {
    Cli.Result r = cli.berth("pull", "busybox");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("Using default tag: latest\nlatest: Pulling from library/busybox\n")
        .containsPattern("(?m)^[0-9a-f]{12}: Pull complete$")
        .containsPattern("(?m)^Digest: sha256:[0-9a-f]{64}$")
        .contains("Status: Downloaded newer image for busybox:latest\n")
        .endsWith("docker.io/library/busybox:latest\n");
  }

  @Test
  void pull_again_saysImageIsUpToDate() {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.berth("pull", "busybox:latest");
    assertThat(r.stdout()).doesNotContain("Using default tag")
        .contains("Status: Image is up to date for busybox:latest");
  }

  @Test
  void pull_progressTty_rewritesLayerLinesWithAnsiCursorMovement() {
    Cli.Result r = cli.berth("pull", "--progress=tty", "busybox");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).contains("\033[1A\033[2K\r").contains("Pull complete");
  }

  @Test
  void pull_notTerminal_printsPlainLinesWithoutEscapes() {
    Cli.Result r = cli.berth("pull", "busybox");
    assertThat(r.stdout()).doesNotContain("\033[");
  }

  @Test
  void pull_unknownTag_exits1WithTheRegistrysError() {
    Cli.Result r = cli.berth("pull", cli.registryHost() + "/busybox:nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("busybox").contains("nope");
  }

  @Test
  void pull_quiet_printsOnlyTheReference() {
    Cli.Result r = cli.berth("pull", "-q", "busybox");
    assertThat(r.stdout()).isEqualTo("docker.io/library/busybox:latest\n");
  }

  @Test
  void images_afterPull_showsDockersColumns() {
    cli.berth("pull", "busybox");
    String[] lines = cli.berth("images").stdout().split("\n");
    assertThat(lines[0]).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
    assertThat(lines[1]).matches("busybox +latest +[0-9a-f]{12} +.+ +[0-9.]+[kMG]?B");
  }

  @Test
  void images_quiet_printsTheShortIdOnce() {
    cli.berth("pull", "busybox");
    cli.berth("tag", "busybox", "mybox:1");
    assertThat(cli.berth("images", "-q").stdout()).matches("[0-9a-f]{12}\n");
  }

  @Test
  void tag_givesTheImageASecondName() {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.berth("tag", "busybox", "mybox:1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(cli.berth("images").stdout()).containsPattern("(?m)^mybox +1 ");
  }

  @Test
  void tag_unknownSource_exits1() {
    Cli.Result r = cli.berth("tag", "nothere", "mybox:1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("nothere");
  }

  @Test
  void inspect_image_printsDockersFieldNames() throws Exception {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.berth("inspect", "busybox");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).startsWith("[\n    {\n        \"Id\": \"sha256:");
    JsonNode image = new ObjectMapper().readTree(r.stdout()).get(0);
    assertThat(image.at("/RepoTags/0").asText()).isEqualTo("docker.io/library/busybox:latest");
    assertThat(image.at("/Config/Cmd/0").asText()).isEqualTo("sh");
    assertThat(image.at("/RootFS/Type").asText()).isEqualTo("layers");
  }

  @Test
  void inspect_format_readsNestedFields() {
    cli.berth("pull", "busybox");
    assertThat(cli.berth("inspect", "-f", "{{.Os}}/{{.Architecture}} {{.Config.Cmd}}", "busybox")
        .stdout()).matches("linux/\\w+ \\[\"sh\"]\n");
  }

  @Test
  void inspect_unknown_printsEmptyArrayAndExits1() {
    Cli.Result r = cli.berth("inspect", "nothere");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stdout()).isEqualTo("[]\n");
    assertThat(r.stderr()).isEqualTo("Error: No such object: nothere\n");
  }

  @Test
  void rmi_lastName_untagsAndDeletes() {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.berth("rmi", "busybox");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).matches("Untagged: docker.io/library/busybox:latest\n"
        + "Deleted: sha256:[0-9a-f]{64}\n");
    assertThat(cli.berth("images", "-q").stdout()).isEmpty();
  }

  @Test
  void rmi_oneOfTwoNames_onlyUntags() {
    cli.berth("pull", "busybox");
    cli.berth("tag", "busybox", "mybox:1");
    assertThat(cli.berth("rmi", "mybox:1").stdout())
        .isEqualTo("Untagged: docker.io/library/mybox:1\n");
  }

  @Test
  void rmi_unknown_exits1() {
    Cli.Result r = cli.berth("rmi", "nothere");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("Error: ").contains("nothere");
  }

  @Test
  void saveThenLoad_viaFiles_bringsTheImageBack() {
    cli.berth("pull", "busybox");
    Path tar = home.resolve("busybox.tar");
    assertThat(cli.berth("save", "-o", tar.toString(), "busybox").exitCode()).isZero();
    cli.berth("rmi", "busybox");
    Cli.Result r = cli.berth("load", "-i", tar.toString());
    assertThat(r.stdout()).as(r.toString()).isEqualTo("Loaded image: busybox:latest\n");
    assertThat(cli.berth("images").stdout()).containsPattern("(?m)^busybox +latest ");
  }

  @Test
  void saveThenLoad_throughAPipe_asDocker() {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.sh("berth save busybox | berth load");
    assertThat(r.stdout()).as(r.toString()).isEqualTo("Loaded image: busybox:latest\n");
  }

  @Test
  void load_missingFile_exits1NamingIt() {
    Cli.Result r = cli.berth("load", "-i", home.resolve("none.tar").toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("none.tar");
  }

  @Test
  void push_toARegistry_printsTheDigest_andPullsBackElsewhere(@TempDir Path other) {
    cli.berth("pull", "busybox");
    String target = cli.registryHost() + "/cli-pushed:1";
    cli.berth("tag", "busybox", target);
    Cli.Result r = cli.berth("push", target);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEqualTo("The push refers to repository [" + cli.registryHost()
        + "/cli-pushed]\n" + "1: digest: " + digestOf(cli, "busybox") + "\n");
    assertThat(new Cli(other).berth("pull", target).exitCode()).isZero();
  }

  private static String digestOf(Cli cli, String image) {
    String pull = cli.berth("pull", image).stdout();
    return pull.lines().filter(l -> l.startsWith("Digest: ")).findFirst().orElseThrow()
        .substring("Digest: ".length());
  }

  @Test
  void info_countsContainersAndImages() {
    cli.berth("pull", "busybox");
    Cli.Result r = cli.berth("info");
    assertThat(r.stdout()).contains("Containers: 0\n").contains("Images: 1\n")
        .contains("Berth Root Dir: " + home);
  }

  @Test
  void version_printsTheMavenVersion() {
    assertThat(cli.berth("version").stdout()).containsPattern("Version: +\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void unknownCommand_exits1AsDocker() {
    Cli.Result r = cli.berth("frobnicate");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).startsWith("berth: 'frobnicate' is not a berth command.");
  }

  @Test
  void unknownFlag_exits125WithUsageHint() {
    Cli.Result r = cli.berth("images", "--bogus");
    assertThat(r.exitCode()).isEqualTo(125);
    assertThat(r.stderr()).contains("'--bogus'").contains("See 'berth images --help'.");
  }
}
