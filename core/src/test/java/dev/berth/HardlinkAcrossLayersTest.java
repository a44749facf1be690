package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.internal.linux.Linux;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Commands;
import dev.berth.testsupport.NoLeakedChildren;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose top layer hardlinks files that only a lower layer holds (valid: "hardlinks may
 * point to files in previous layers"), built here from busybox plus hand-built layers with
 * {@code umoci raw add-layer}, pushed to the test registry and pulled: {@link Image#unpackTo}
 * matches {@code umoci unpack}, and a running container sees one file with two names.
 */
@ExtendWith(NoLeakedChildren.class)
class HardlinkAcrossLayersTest {
  @TempDir Path tmp;
  private static TestRegistry reg;

  /** Before the leak check's baseline: the shared registry outlives the tests. */
  @BeforeAll
  static void needsRootUmociSkopeoAndRegistry() {
    assumeThat(Linux.isRoot()).as("running containers and umoci's owners need root").isTrue();
    Commands.assumeInstalled("umoci");
    Commands.assumeInstalled("skopeo");
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox");
  }

  /** Files, a symlink and a directory that the top layer links to. */
  private static TarBuilder lower() {
    return new TarBuilder()
        .dir("data", e -> e.setMode(0750))
        .file("data/orig", "shared content\n", e -> {
          e.setMode(0640);
          e.setIds(12, 34);
          e.addPaxHeader("SCHILY.xattr.user.note", "from the lower layer");
        })
        .symlink("data/sym", "orig")
        .file("data/other", "not linked")
        .symlink("alias", "/data");
  }

  /** Links with {@code ./} and plain names, to a regular file and to a symlink. */
  private static TarBuilder linking() {
    return new TarBuilder()
        .dir("./links")
        .hardlink("./links/hard", "data/orig")
        .hardlink("links/hard-too", "./data/orig")
        .hardlink("links/sym-link", "./data/sym")
        .hardlink("links/via-alias", "alias/other");
  }

  @Test
  void unpackTo_imageLinkingLowerLayersFiles_matchesUmociUnpack() throws Exception {
    Path layout = layout(List.of(lower(), linking()));
    Path umoci = tmp.resolve("bundle");
    Commands.ok("umoci", "unpack", "--image", layout + ":latest", umoci.toString());
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull(push(layout, "hardlinks"));
      Path dir = tmp.resolve("flat");

      image.unpackTo(dir);

      TreeDiff.between(umoci.resolve("rootfs"), dir).ignoringRoot().assertSame();
      assertThat(Files.getAttribute(dir.resolve("links/hard"), "unix:nlink")).isEqualTo(3);
    }
  }

  @Test
  void run_imageLinkingLowerLayersFiles_containerSeesOneInodeWithBothNames() throws Exception {
    Path layout = layout(List.of(lower(), new TarBuilder()
        .dir("./links").hardlink("./links/hard", "data/orig").hardlink("links/sym-link", "./data/sym")));
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.pull(push(layout, "hardlinks-run"));
      String script = "stat -c '%i %h %a %u:%g %s' /data/orig /links/hard;"
          + " stat -c '%i %h %F' /data/sym /links/sym-link; readlink /links/sym-link; cat /links/hard";

      String out;
      try (Container c = image.run("sh", "-c", script)) {
        out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(c.waitFor()).as(out).isZero();
      }

      String[] lines = out.split("\n");
      assertThat(lines[0]).isEqualTo(lines[1]).endsWith(" 2 640 12:34 15");
      assertThat(lines[2]).isEqualTo(lines[3]).endsWith(" 2 symbolic link");
      assertThat(lines[4]).isEqualTo("orig");
      assertThat(lines[5]).isEqualTo("shared content");
    }
  }

  @Test
  void load_ociLayoutLinkingLowerLayersFiles_containerSeesBothNamesOnOneInode() throws Exception {
    Path layout = layout(List.of(lower(), linking()));
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image image = berth.load(layout).get(0);

      String out;
      try (Container c = image.run("stat", "-c", "%i %h", "/data/orig", "/links/hard", "/links/hard-too")) {
        out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(c.waitFor()).as(out).isZero();
      }

      String[] lines = out.split("\n");
      assertThat(lines).hasSize(3).containsOnly(lines[0]);
      assertThat(lines[0]).endsWith(" 3");
    }
  }

  @Test
  void pull_layerLinkingAFileAMiddleLayerWhitedOut_failsNamingLayerLinkAndTarget() throws Exception {
    Path layout = layout(List.of(lower(), new TarBuilder().dir("data").whiteout("data", "orig"),
        new TarBuilder().hardlink("back", "data/orig")));
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      String ref = push(layout, "hardlinks-deleted");

      assertThatThrownBy(() -> berth.pull(ref))
          .isInstanceOf(BerthException.class)
          .hasMessageMatching("(?s)layer sha256:[0-9a-f]{64}: hardlink 'back' points to 'data/orig',"
              + " which layer sha256:[0-9a-f]{64} below it deleted \\(a whiteout of 'data/orig'\\).*");
    }
  }

  /** busybox's OCI layout with {@code layers} added on top, tagged latest. */
  private Path layout(List<TarBuilder> layers) throws Exception {
    Path layout = tmp.resolve("layout");
    Commands.ok("cp", "-a", TestImages.layout("busybox").toString(), layout.toString());
    List<Path> tars = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      tars.add(Files.write(tmp.resolve("layer" + i + ".tar"), layers.get(i).bytes()));
    }
    for (Path tar : tars) {
      Commands.ok("umoci", "raw", "add-layer", "--image", layout + ":latest", tar.toString());
    }
    return layout;
  }

  /** @return the reference the image was pushed to */
  private String push(Path layout, String name) throws Exception {
    List<String> argv = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    argv.addAll(reg.skopeoDestArgs());
    argv.add("oci:" + layout + ":latest");
    argv.add("docker://" + reg.host() + "/" + name + ":latest");
    Commands.ok(argv.toArray(String[]::new));
    return reg.host() + "/" + name + ":latest";
  }
}
