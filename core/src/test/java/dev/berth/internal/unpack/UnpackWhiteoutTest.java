package dev.berth.internal.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import dev.berth.testsupport.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackWhiteoutTest {
  @TempDir Path tmp;
  private UnpackFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new UnpackFixture(tmp);
  }

  private void lowerLayer() {
    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("d").file("d/a", "a").file("d/b", "b")
        .dir("d/sub").file("d/sub/c", "c").file("top", "t"));
  }

  @Test
  void flatten_whiteout_removesTheLowerFile() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().whiteout("d", "a"));

    assertThat(fx.root.resolve("d/a")).doesNotExist();
    assertThat(fx.root.resolve("d/b")).exists();
  }

  @Test
  void flatten_whiteoutOfDirectory_removesItRecursively() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().whiteout("", "d"));

    assertThat(fx.root.resolve("d")).doesNotExist();
    assertThat(fx.root.resolve("top")).exists();
  }

  @Test
  void flatten_whiteoutOfMissingPath_doesNothing() {
    lowerLayer();

    UnpackSummary s = fx.unpack(UnpackOptions.flatten(), new TarBuilder().whiteout("nowhere", "x").whiteout("d", "zz"));

    assertThat(s.entries()).isEqualTo(2);
    assertThat(fx.root.resolve("d/a")).exists();
  }

  @Test
  void flatten_whiteoutAfterSameLayerEntry_keepsTheNewEntry() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().file("d/a", "new").whiteout("d", "a"));

    assertThat(fx.root.resolve("d/a")).hasContent("new");
  }

  @Test
  void flatten_whiteoutBeforeSameLayerEntry_replacesTheLowerOne() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().whiteout("d", "sub").dir("d/sub").file("d/sub/new", "n"));

    assertThat(fx.root.resolve("d/sub/c")).doesNotExist();
    assertThat(fx.root.resolve("d/sub/new")).hasContent("n");
  }

  @Test
  void flatten_opaque_removesLowerChildrenAndKeepsThisLayersOnes() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().dir("d").file("d/before", "1").dir("d/sub")
        .file("d/sub/mine", "m").opaque("d").file("d/after", "2"));

    assertThat(list(fx.root.resolve("d"))).containsExactlyInAnyOrder("before", "after", "sub");
    assertThat(list(fx.root.resolve("d/sub"))).containsExactly("mine");
  }

  @Test
  void flatten_opaqueThroughSymlinkedParent_keepsWhatThisLayerWroteThroughIt() {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().symlink("alias", "d").file("alias/mine", "m").opaque("d"));

    assertThat(list(fx.root.resolve("d"))).containsExactly("mine");
  }

  @Test
  void flatten_hardlinkToLowerLayerFile_sharesItsInode() throws Exception {
    lowerLayer();

    fx.unpack(UnpackOptions.flatten(), new TarBuilder().hardlink("d/link", "/d/a"));

    assertThat(Files.isSameFile(fx.root.resolve("d/link"), fx.root.resolve("d/a"))).isTrue();
  }

  @Test
  void overlay_whiteout_isCharDevice00() throws Exception {
    assumeThat(Linux.canMknodWhiteouts()).as("needs permission to create 0/0 character devices").isTrue();

    fx.unpack(UnpackOptions.overlay(), new TarBuilder().dir("d").whiteout("d", "gone"));

    var st = Syscalls.statx(Fcntl.AT_FDCWD, fx.root.resolve("d/gone").toString(), Fcntl.AT_SYMLINK_NOFOLLOW);
    assertThat(st.type()).isEqualTo(Fcntl.S_IFCHR);
    assertThat(List.of(st.rdevMajor(), st.rdevMinor())).containsExactly(0, 0);
  }

  @Test
  void overlay_opaque_setsTrustedOverlayOpaque() {
    assumeThat(Linux.isRoot()).as("trusted.* xattrs need root").isTrue();

    fx.unpack(UnpackOptions.overlay(), new TarBuilder().dir("d").opaque("d"));

    assertThat(Xattrs.lgetxattr(fx.root.resolve("d").toString(), "trusted.overlay.opaque")).containsExactly('y');
    assertThat(fx.root.resolve("d/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void overlay_opaqueWithUserXattrs_setsUserOverlayOpaque() {
    fx.unpack(UnpackOptions.overlay().withUserXattrs(true), new TarBuilder().dir("d").opaque("d"));

    assertThat(Xattrs.lgetxattr(fx.root.resolve("d").toString(), "user.overlay.opaque")).containsExactly('y');
    assertThat(Xattrs.lgetxattr(fx.root.resolve("d").toString(), "trusted.overlay.opaque")).isNull();
  }

  @Test
  void overlay_archiveCarryingOverlayXattr_isDroppedWithANote() {
    UnpackSummary s = fx.unpack(UnpackOptions.overlay().withUserXattrs(true),
        new TarBuilder().dir("d", e -> e.addPaxHeader("SCHILY.xattr.user.overlay.opaque", "y")));

    assertThat(Xattrs.lgetxattr(fx.root.resolve("d").toString(), "user.overlay.opaque")).isNull();
    assertThat(s.notes()).anyMatch(n -> n.startsWith("overlay xattr from the archive ignored"));
  }

  private static List<String> list(Path dir) {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
