package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.BuildOptions;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.internal.linux.Linux;
import dev.berth.testsupport.Commands;
import dev.berth.testsupport.Registries;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What builds put into layers: links, owners from other stages, archives, context bounds. */
class BuildFilesTest {
  @TempDir static Path home;
  static Berth berth;
  @TempDir Path context;

  @BeforeAll
  static void engine() {
    assumeTrue(Linux.isRoot(), "RUN steps and owners other than ours need root here");
    berth = Registries.engine(home, Registries.plainWith("busybox"));
  }

  @AfterAll
  static void close() {
    if (berth != null) {
      berth.close();
    }
  }

  private Image build(String containerfile) throws Exception {
    Files.writeString(context.resolve("Containerfile"), containerfile);
    return ImageBuilder.build(berth, BuildOptions.builder(context).build());
  }

  private static String output(Image image, String... command) throws Exception {
    try (Container c = image.run(command)) {
      String out = new String(c.getInputStream().readAllBytes());
      assertThat(c.waitFor()).as(out).isZero();
      return out;
    }
  }

  @Test
  void run_makingASymlink_layerHoldsTheLinkItself() throws Exception {
    Image image = ImageBuilder.from("busybox")
        .run("sh", "-c", "echo t > /target && ln -s /target /link").build(berth);
    assertThat(output(image, "readlink", "/link")).isEqualTo("/target\n");
  }

  @Test
  void copyFrom_withoutChown_keepsTheOwnersOfTheSourceStage() throws Exception {
    Image image = build("FROM busybox AS a\n"
        + "RUN mkdir /d && echo x > /d/f && chown -R 1000:1001 /d\n"
        + "FROM busybox\nCOPY --from=a /d /d\n");
    assertThat(output(image, "stat", "-c", "%u:%g", "/d", "/d/f"))
        .isEqualTo("1000:1001\n1000:1001\n");
  }

  @Test
  void copyFrom_withChown_setsTheGivenOwner() throws Exception {
    Image image = build("FROM busybox AS a\nRUN echo x > /f && chown 1000:1000 /f\n"
        + "FROM busybox\nCOPY --from=a --chown=7:8 /f /f\n");
    assertThat(output(image, "stat", "-c", "%u:%g", "/f")).isEqualTo("7:8\n");
  }

  @Test
  void copy_fromTheContext_isOwnedByRoot() throws Exception {
    Files.writeString(context.resolve("f"), "x");
    Image image = build("FROM busybox\nCOPY f /f\n");
    assertThat(output(image, "stat", "-c", "%u:%g", "/f")).isEqualTo("0:0\n");
  }

  @Test
  void copy_throughASymlinkLeavingTheContext_isRefusedNamingIt() throws Exception {
    Files.createSymbolicLink(context.resolve("etc"), Path.of("/etc"));
    assertThatThrownBy(() -> build("FROM busybox\nCOPY etc/hostname /x\n"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("etc/hostname").hasMessageContaining("outside the build context");
  }

  @Test
  void copy_globThroughASymlinkLeavingTheContext_isRefused() throws Exception {
    Files.createSymbolicLink(context.resolve("etc"), Path.of("/etc"));
    assertThatThrownBy(() -> build("FROM busybox\nCOPY etc/host* /x/\n"))
        .hasMessageContaining("outside the build context");
  }

  @Test
  void copy_symlinkInsideTheContext_isCopiedAsALink() throws Exception {
    Files.writeString(context.resolve("real"), "r");
    Files.createSymbolicLink(context.resolve("alias"), Path.of("real"));
    Image image = build("FROM busybox\nCOPY real alias /d/\n");
    assertThat(output(image, "sh", "-c", "readlink /d/alias; cat /d/alias"))
        .isEqualTo("real\nr");
  }

  @Test
  void add_gzippedTar_isExtracted() throws Exception {
    Files.createDirectories(context.resolve("src"));
    Files.writeString(context.resolve("src/inside.txt"), "from the tar");
    Commands.ok("tar", "-C", context.resolve("src").toString(), "-czf",
        context.resolve("a.tar.gz").toString(), "inside.txt");
    Image image = build("FROM busybox\nADD a.tar.gz /x/\n");
    assertThat(output(image, "cat", "/x/inside.txt")).isEqualTo("from the tar");
  }

  @Test
  void add_plainTar_isExtracted() throws Exception {
    Files.createDirectories(context.resolve("src"));
    Files.writeString(context.resolve("src/inside.txt"), "plain");
    Commands.ok("tar", "-C", context.resolve("src").toString(), "-cf",
        context.resolve("a.tar").toString(), "inside.txt");
    Image image = build("FROM busybox\nADD a.tar /x/\n");
    assertThat(output(image, "cat", "/x/inside.txt")).isEqualTo("plain");
  }

  @Test
  void add_gzippedFileThatIsNotATar_isCopiedAsIs() throws Exception {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(
        context.resolve("log.gz")))) {
      out.write("just a log\n".getBytes());
    }
    Image image = build("FROM busybox\nADD log.gz /x/\n");
    assertThat(output(image, "zcat", "/x/log.gz")).isEqualTo("just a log\n");
  }
}
