package dev.berth.internal.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.BerthException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Stat;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import dev.berth.internal.manifest.Compression;
import dev.berth.testsupport.TarBuilder;
import dev.berth.testsupport.TreeDiff;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hardlink in one layer to a file that only a lower layer holds: in OVERLAY mode the target is
 * copied up into the linking layer (content, mode, owner, times, xattrs) and both names share
 * its inode there; what a middle layer deleted, or what is nowhere below, is refused.
 */
class UnpackHardlinkAcrossLayersTest {
  private static final Instant OLD = Instant.parse("2011-02-03T04:05:06.1234567Z");

  @TempDir Path tmp;
  private Path sentinel;
  private SortedMap<String, TreeDiff.Node> sentinelBefore;

  @BeforeEach
  void rootAndSentinel() throws Exception {
    assumeThat(Linux.isRoot()).as("overlay-format layers (0/0 whiteouts, trusted xattrs) need root")
        .isTrue();
    sentinel = Files.createDirectory(tmp.resolve("sentinel"));
    Files.writeString(sentinel.resolve("keep"), "sentinel");
    sentinelBefore = TreeDiff.snapshot(sentinel);
  }

  @Test
  void overlay_hardlinkToLowerRegularFile_copiesItUpAndBothNamesShareOneInode() throws Exception {
    Path base = layer("base", new TarBuilder()
        .dir("etc", e -> { e.setMode(0750); e.setIds(5, 6); e.setModTime(FileTime.from(OLD)); })
        .file("etc/conf", "the content", e -> {
          e.setMode(04751);
          e.setIds(12, 34);
          e.setModTime(FileTime.from(OLD));
          e.addPaxHeader("SCHILY.xattr.user.comment", "kept");
        }));

    Path top = layer("top", new TarBuilder().dir("bin").hardlink("bin/conf-link", "etc/conf"), base);

    Stat link = stat(top.resolve("bin/conf-link"));
    Stat copy = stat(top.resolve("etc/conf"));
    Stat lower = stat(base.resolve("etc/conf"));
    assertThat(link.ino()).isEqualTo(copy.ino()).isNotEqualTo(lower.ino());
    assertThat(link.nlink()).isEqualTo(2);
    assertThat(Files.readString(top.resolve("bin/conf-link"))).isEqualTo("the content");
    assertThat(List.of(link.mode(), link.uid(), link.gid(), link.mtime()))
        .isEqualTo(List.of(lower.mode(), lower.uid(), lower.gid(), lower.mtime()));
    assertThat(link.mtime()).isEqualTo(OLD);
    assertThat(xattr(top.resolve("etc/conf"), "user.comment")).isEqualTo("kept");
    assertThat(lower.nlink()).as("the lower layer is left alone").isEqualTo(1);
  }

  @Test
  void overlay_copiedUpParentDirectory_takesTheTopmostLowerLayersMetadataAndIsNotOpaque()
      throws Exception {
    Path base = layer("base", new TarBuilder().dir("d", e -> e.setMode(0700)).file("d/f", "f"));
    Path middle = layer("middle", new TarBuilder()
        .dir("d", e -> { e.setMode(0751); e.setIds(3, 4); e.setModTime(FileTime.from(OLD)); })
        .opaque("d").file("d/f", "from the middle"), base);

    Path top = layer("top", new TarBuilder().hardlink("link", "d/f"), middle, base);

    Stat dir = stat(top.resolve("d"));
    assertThat(List.of(dir.mode() & 07777, dir.uid(), dir.gid(), dir.mtime()))
        .isEqualTo(List.of(0751, 3, 4, OLD));
    assertThat(Files.readString(top.resolve("link"))).isEqualTo("from the middle");
    assertThat(xattr(top.resolve("d"), "trusted.overlay.opaque"))
        .as("the middle layer's opaque marker must not hide the base in the top layer").isNull();
  }

  @Test
  void overlay_lowerLayerKeepingOwnersBesideItsFiles_copyTakesThoseOwners() throws Exception {
    Path base = layer("base", new TarBuilder().dir("etc").file("etc/conf", "c"));
    LowerLayers.Owners beside = path -> switch (path) {
      case "etc" -> new int[] {5, 6};
      case "etc/conf" -> new int[] {12, 34};
      default -> null;
    };
    Path top = Files.createDirectory(tmp.resolve("top"));

    new LayerUnpacker(UnpackOptions.overlay()).unpack(tar(new TarBuilder().hardlink("link", "etc/conf")),
        Compression.NONE, top, "top", () -> List.of(new LowerLayers.Layer(base, "base", beside)));

    assertThat(List.of(stat(top.resolve("etc")).uid(), stat(top.resolve("etc")).gid())).containsExactly(5, 6);
    assertThat(List.of(stat(top.resolve("link")).uid(), stat(top.resolve("link")).gid()))
        .containsExactly(12, 34);
  }

  @Test
  void overlay_hardlinkToLowerSymlink_linksTheSymlinkItself() throws Exception {
    Path base = layer("base", new TarBuilder().symlink("escape", sentinel.resolve("keep").toString()));

    Path top = layer("top", new TarBuilder().hardlink("same", "escape"), base);

    Path link = top.resolve("same");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(sentinel.resolve("keep"));
    assertThat(stat(link).ino()).isEqualTo(stat(top.resolve("escape")).ino());
    assertThat(stat(link).nlink()).isEqualTo(2);
    assertOutsideUntouched();
  }

  @Test
  void overlay_hardlinkWithDotSlashAndPlainNamesMixed_allShareTheCopiedUpInode() throws Exception {
    Path base = layer("base", new TarBuilder().dir("./bin").file("./bin/busybox", "ELF",
        e -> e.setMode(0755)));

    Path top = layer("top", new TarBuilder().dir("bin").hardlink("./bin/sh", "bin/busybox")
        .hardlink("bin/ls", "./bin/busybox").hardlink("./bin/cat", "./bin/busybox"), base);

    long ino = stat(top.resolve("bin/busybox")).ino();
    for (String name : List.of("bin/sh", "bin/ls", "bin/cat")) {
      assertThat(stat(top.resolve(name)).ino()).as(name).isEqualTo(ino);
    }
    assertThat(stat(top.resolve("bin/busybox")).nlink()).isEqualTo(4);
  }

  @Test
  void overlay_hardlinkToFileAMiddleLayerWhitedOut_isRefusedNamingLayerLinkAndTarget()
      throws Exception {
    Path base = layer("base", new TarBuilder().dir("etc").file("etc/secret", "s"));
    Path middle = layer("middle", new TarBuilder().dir("etc").whiteout("etc", "secret"), base);

    assertThatThrownBy(() -> layer("top", new TarBuilder().hardlink("back", "etc/secret"), middle, base))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("layer top: hardlink 'back' points to 'etc/secret', which layer middle"
            + " below it deleted (a whiteout of 'etc/secret')");
  }

  @Test
  void overlay_hardlinkIntoDirectoryAMiddleLayerMadeOpaque_isRefusedNamingTheLayer()
      throws Exception {
    Path base = layer("base", new TarBuilder().dir("d").file("d/old", "o"));
    Path middle = layer("middle", new TarBuilder().dir("d").opaque("d").file("d/new", "n"), base);

    assertThatThrownBy(() -> layer("top", new TarBuilder().hardlink("x", "/d/old"), middle, base))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("hardlink 'x' points to '/d/old', which layer middle below it deleted"
            + " (the opaque directory 'd')");
  }

  @Test
  void overlay_hardlinkToTargetNowhereBelow_isRefusedAsBefore() throws Exception {
    Path base = layer("base", new TarBuilder().file("other", "o"));

    assertThatThrownBy(() -> layer("top", new TarBuilder().hardlink("b", "a"), base))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("layer top: hardlink 'b' points to 'a', which is not in the layer nor"
            + " in the 1 layer(s) below it");
  }

  @Test
  void overlay_hardlinkThroughLowerSymlinkedParents_resolvesThemInsideTheLayersAsFlattenDoes()
      throws Exception {
    Path base = layer("base", new TarBuilder().dir("usr").dir("usr/lib").file("usr/lib/foo", "foo")
        .symlink("lib", "usr/lib").symlink("abs", "/usr").symlink("up", "../../../.."));

    Path top = layer("top", new TarBuilder().hardlink("x", "lib/foo").hardlink("y", "abs/lib/foo")
        .hardlink("z", "up/usr/../lib/foo"), base);

    long ino = stat(top.resolve("usr/lib/foo")).ino();
    for (String name : List.of("x", "y", "z")) {
      assertThat(stat(top.resolve(name)).ino()).as(name).isEqualTo(ino);
    }
    assertThat(stat(top.resolve("usr/lib/foo")).nlink()).isEqualTo(4);
    assertThat(Files.exists(top.resolve("lib"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .as("the symlink stays in the layer below").isFalse();
  }

  @Test
  void overlay_hardlinkThroughSymlinkADirectoryAboveHides_isRefused() throws Exception {
    Path base = layer("base", new TarBuilder().dir("real").file("real/f", "f").symlink("d", "real"));
    Path middle = layer("middle", new TarBuilder().dir("d").file("d/other", "o"), base);

    assertThatThrownBy(() -> layer("top", new TarBuilder().hardlink("x", "d/f"), middle, base))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("hardlink 'x' points to 'd/f', and its parent 'd' is a directory in a"
            + " layer above but a symlink in layer base");
  }

  @Test
  void overlay_hardlinkThroughLowerSymlinkToOutside_staysInTheLayersAndIsRefused() throws Exception {
    Path base = layer("base", new TarBuilder().symlink("out", sentinel.toString())
        .symlink("rel", "../../../../../../.." + sentinel));

    for (String target : List.of("out/keep", "rel/keep")) {
      assertThatThrownBy(() -> layer("top-" + target.charAt(0), new TarBuilder().hardlink("h", target), base))
          .isInstanceOf(BerthException.class)
          .hasMessageContaining("hardlink 'h' points to '" + target + "', which is not in the layer nor in"
              + " the 1 layer(s) below it (looked up as '" + sentinel.toString().substring(1) + "/keep')");
    }
    assertOutsideUntouched();
    assertThat(Files.getAttribute(sentinel.resolve("keep"), "unix:nlink")).isEqualTo(1);
  }

  @Test
  void overlay_hardlinkToTargetInItsOwnLayer_doesNotAskForTheLayersBelow() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("alone"));
    LowerLayers refuse = () -> {
      throw new AssertionError("asked for the layers below");
    };

    new LayerUnpacker(UnpackOptions.overlay()).unpack(new ByteArrayInputStream(
        new TarBuilder().file("a", "x").hardlink("b", "a").bytes()), Compression.NONE, dir, "alone", refuse);

    assertThat(stat(dir.resolve("b")).nlink()).isEqualTo(2);
  }

  @Test
  void flatten_hardlinkToFileAMiddleLayerWhitedOut_isRefused() throws Exception {
    Path root = Files.createDirectory(tmp.resolve("flat"));
    LayerUnpacker flatten = new LayerUnpacker(UnpackOptions.flatten());
    flatten.unpack(tar(new TarBuilder().file("a", "x")), Compression.NONE, root, "base");
    flatten.unpack(tar(new TarBuilder().whiteout("", "a")), Compression.NONE, root, "middle");

    assertThatThrownBy(() -> flatten.unpack(tar(new TarBuilder().hardlink("b", "a")), Compression.NONE,
        root, "top"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("layer top: hardlink 'b' points to 'a', which is not in the layer nor in"
            + " the layers below it");
  }

  /** Unpacks {@code layer} in OVERLAY mode into {@code <tmp>/<name>} above {@code below}. */
  private Path layer(String name, TarBuilder layer, Path... below) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    List<LowerLayers.Layer> lowers = new ArrayList<>();
    for (Path b : below) {
      lowers.add(new LowerLayers.Layer(b, b.getFileName().toString()));
    }
    new LayerUnpacker(UnpackOptions.overlay()).unpack(tar(layer), Compression.NONE, dir, name,
        () -> lowers);
    return dir;
  }

  private static ByteArrayInputStream tar(TarBuilder layer) {
    return new ByteArrayInputStream(layer.bytes());
  }

  private static Stat stat(Path p) {
    return Syscalls.statx(Fcntl.AT_FDCWD, p.toString(), Fcntl.AT_SYMLINK_NOFOLLOW);
  }

  private static String xattr(Path p, String name) {
    byte[] value = Xattrs.lgetxattr(p.toString(), name);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private void assertOutsideUntouched() {
    assertThat(TreeDiff.snapshot(sentinel)).isEqualTo(sentinelBefore);
  }
}
