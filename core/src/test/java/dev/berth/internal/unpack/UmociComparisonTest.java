package dev.berth.internal.unpack;

import dev.berth.internal.manifest.Compression;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.internal.linux.Linux;
import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same three layers unpacked by {@code umoci unpack} and by {@link LayerUnpacker} in FLATTEN
 * mode give the same tree.
 */
class UmociComparisonTest {
  @TempDir Path tmp;

  @BeforeEach
  void needsUmociAsRoot() {
    assumeThat(onPath("umoci")).as("umoci is not installed (Debian package umoci)").isTrue();
    assumeThat(Linux.isRoot()).as("umoci unpacks owners and devices only as root").isTrue();
  }

  /** With the writer threads (parallel) and without: both must give umoci's tree. */
  @ParameterizedTest(name = "parallel files: {0}")
  @ValueSource(booleans = {false, true})
  void threeLayers_flattened_matchUmociUnpack(boolean parallelFiles) throws Exception {
    List<byte[]> layers = List.of(base(), changes(), moreChanges());

    Path umoci = umociUnpack(layers);
    Path berth = Files.createDirectory(tmp.resolve("berth"));
    for (byte[] layer : layers) {
      new LayerUnpacker(UnpackOptions.flatten().withParallelFiles(parallelFiles))
          .unpack(new ByteArrayInputStream(layer), Compression.NONE, berth, "layer");
    }

    TreeDiff.between(umoci, berth).withMtimes().ignoringRoot().assertSame();
  }

  private static byte[] base() {
    return new TarBuilder()
        .dir("etc").file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        .file("etc/shadow", "secret", e -> e.setMode(0640))
        .dir("bin").file("bin/busybox", "ELF", e -> e.setMode(0755)).hardlink("bin/sh", "bin/busybox")
        .file("bin/su", "su", e -> { e.setMode(04755); e.setIds(0, 0); })
        .symlink("bin/ls", "busybox")
        .dir("home").dir("home/user", e -> { e.setIds(1000, 1000); e.setMode(0750); })
        .file("home/user/.profile", "export X=1", e -> e.setIds(1000, 1000))
        .dir("tmp", e -> e.setMode(01777))
        .dir("dev").node("dev/null", TarConstants.LF_CHR, 1, 3, e -> e.setMode(0666))
        .node("dev/loop0", TarConstants.LF_BLK, 7, 0, e -> e.setMode(0660))
        .node("run-fifo", TarConstants.LF_FIFO, 0, 0, e -> e.setMode(0600))
        .dir("opt").dir("opt/app").file("opt/app/old", "old").dir("opt/app/lib").file("opt/app/lib/a.so", "a")
        .dir("var").file("var/replace-me", "file").dir("var/dir-to-file").file("var/dir-to-file/x", "x")
        .file("xattr", "x", e -> e.addPaxHeader("SCHILY.xattr.user.comment", "hello"))
        .file("ünïcødé", "u")
        .bytes();
  }

  private static byte[] changes() {
    String longDir = "opt/" + "l".repeat(110);
    return new TarBuilder()
        .dir("etc").file("etc/passwd", "root:x:0:0::/root:/bin/bash\n")
        .whiteout("etc", "shadow")
        .dir("opt").dir("opt/app").opaque("opt/app").file("opt/app/new", "new")
        .dir("var").dir("var/replace-me").file("var/replace-me/inside", "i")
        .file("var/dir-to-file", "now a file")
        .dir("bin").hardlink("bin/busybox-again", "bin/busybox")
        .dir(longDir).file(longDir + "/" + "f".repeat(120), "long")
        .bytes();
  }

  private static byte[] moreChanges() {
    return new TarBuilder()
        .whiteout("", "run-fifo")
        .dir("home").whiteout("home", "user")
        .dir("bin").file("bin/busybox", "ELF v2", e -> e.setMode(0755))
        .symlink("bin/ls", "/bin/busybox")
        .file("etc/added", "a", e -> e.setIds(12, 34))
        .bytes();
  }

  private Path umociUnpack(List<byte[]> layers) throws Exception {
    Path image = tmp.resolve("image");
    run("umoci", "init", "--layout", image.toString());
    run("umoci", "new", "--image", image + ":t");
    for (int i = 0; i < layers.size(); i++) {
      Path tar = Files.write(tmp.resolve("layer" + i + ".tar"), layers.get(i));
      run("umoci", "raw", "add-layer", "--image", image + ":t", tar.toString());
    }
    Path bundle = tmp.resolve("bundle");
    run("umoci", "unpack", "--image", image + ":t", bundle.toString());
    return bundle.resolve("rootfs");
  }

  private void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static boolean onPath(String program) {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
    return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
