package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.Image;
import dev.berth.ImageBuilder;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder API: reproducible layers from files, and a push that other tools read. */
class ImageBuilderTest {

  private static ImageBuilder app(Path src) throws Exception {
    Files.createDirectories(src.resolve("bin"));
    Files.writeString(src.resolve("bin/start"), "#!/bin/sh\necho started\n");
    Files.writeString(src.resolve("README"), "read me");
    return ImageBuilder.scratch()
        .copy(src, "/app/", 1000, 1000, 0755)
        .env("MODE", "prod")
        .workingDir("/app")
        .cmd("/app/bin/start");
  }

  @Test
  void build_sameInputsInTwoStores_giveTheSameImageId(@TempDir Path dir) throws Exception {
    ImageBuilder b = app(dir.resolve("src"));
    try (Berth one = Berth.builder().home(dir.resolve("h1")).build();
        Berth two = Berth.builder().home(dir.resolve("h2")).build()) {
      Image first = b.build(one, "app:1");
      Files.setLastModifiedTime(dir.resolve("src/README"),
          java.nio.file.attribute.FileTime.fromMillis(123_000));
      Image second = b.build(two, "app:1");

      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    }
  }

  @Test
  void copy_negativeOwner_isRefused() {
    assertThatThrownBy(() -> ImageBuilder.scratch().copy(Path.of("x"), "/x", -1, 0, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid owner -1:0");
  }

  @Test
  void expose_badPort_isRefused() {
    assertThatThrownBy(() -> ImageBuilder.scratch().expose("http"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid port 'http'");
  }

  @Test
  void copy_missingSource_namesIt(@TempDir Path dir) {
    try (Berth berth = Berth.builder().home(dir.resolve("h")).build()) {
      assertThatThrownBy(() -> ImageBuilder.scratch().copy(dir.resolve("gone"), "/x")
          .build(berth)).hasMessageContaining("gone: no such file or directory");
    }
  }

  @Test
  void push_builtImage_isCopiedBySkopeoAndUnpackedByUmociWithItsFiles(@TempDir Path dir)
      throws Exception {
    assumeTrue(Linux.isRoot(), "RUN needs root here");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo"))
        && Files.isExecutable(Path.of("/usr/bin/umoci")), "skopeo and umoci are not installed");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Berth.builder().home(dir.resolve("h")).registryMirror(reg.host())
        .insecureRegistry(reg.host()).build()) {
      ImageBuilder.from("busybox").run("sh", "-c", "echo ran > /ran.txt && rm /bin/ls")
          .copy(Files.writeString(dir.resolve("hello.txt"), "hi"), "/hello.txt")
          .push(berth, reg.host() + "/built/pushed:1");
    }

    run("skopeo", "copy", "--src-tls-verify=false",
        "docker://" + reg.host() + "/built/pushed:1", "oci:" + dir.resolve("layout") + ":1");
    run("umoci", "unpack", "--image", dir.resolve("layout") + ":1", dir.resolve("bundle").toString());

    Path rootfs = dir.resolve("bundle/rootfs");
    assertThat(rootfs.resolve("ran.txt")).hasContent("ran");
    assertThat(rootfs.resolve("hello.txt")).hasContent("hi");
    assertThat(rootfs.resolve("bin/ls")).doesNotExist();
    assertThat(rootfs.resolve("bin/sh")).exists();
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
