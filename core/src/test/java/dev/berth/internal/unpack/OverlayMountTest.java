package dev.berth.internal.unpack;

import dev.berth.internal.manifest.Compression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.testsupport.TarBuilder;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers unpacked in OVERLAY mode, mounted with the real overlayfs. */
class OverlayMountTest {
  @TempDir Path tmp;

  @Test
  void mountedLayers_hideWhitedOutFilesAndOpaqueDirectoryContents() throws Exception {
    assumeThat(Linux.isRoot()).as("mounting overlayfs needs root").isTrue();
    assumeThat(Linux.hasOverlay()).as("the kernel lacks overlayfs").isTrue();
    Path lower = unpack("lower", new TarBuilder().dir("d").file("d/a", "a").file("d/b", "b")
        .dir("o").file("o/old", "old").file("gone", "g"));
    Path upper = unpack("upper", new TarBuilder().dir("d").whiteout("d", "a").whiteout("", "gone")
        .dir("o").opaque("o").file("o/new", "new"));
    Path merged = Files.createDirectory(tmp.resolve("merged"));

    Syscalls.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + upper + ":" + lower);
    try {
      assertThat(names(merged)).containsExactlyInAnyOrder("d", "o");
      assertThat(names(merged.resolve("d"))).containsExactly("b");
      assertThat(names(merged.resolve("o"))).containsExactly("new");
    } finally {
      Syscalls.umount2(merged.toString(), Fcntl.MNT_DETACH);
    }
  }

  @Test
  void mountedLayers_hardlinkToLowerLayersFile_isOneInodeWithTwoLinks() throws Exception {
    assumeThat(Linux.isRoot()).as("mounting overlayfs needs root").isTrue();
    assumeThat(Linux.hasOverlay()).as("the kernel lacks overlayfs").isTrue();
    Path lower = unpack("lower", new TarBuilder().dir("bin").file("bin/tool", "#!/bin/sh\n",
        e -> e.setMode(0755)).file("bin/other", "o"));
    Path upper = unpack("upper", new TarBuilder().dir("usr").hardlink("usr/tool", "bin/tool"),
        new LowerLayers.Layer(lower, "lower"));
    Path merged = Files.createDirectory(tmp.resolve("merged"));

    Syscalls.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + upper + ":" + lower);
    try {
      assertThat(Files.isSameFile(merged.resolve("usr/tool"), merged.resolve("bin/tool"))).isTrue();
      assertThat(Files.getAttribute(merged.resolve("usr/tool"), "unix:nlink")).isEqualTo(2);
      assertThat(Files.readString(merged.resolve("usr/tool"))).isEqualTo("#!/bin/sh\n");
      assertThat(names(merged.resolve("bin"))).containsExactlyInAnyOrder("tool", "other");
    } finally {
      Syscalls.umount2(merged.toString(), Fcntl.MNT_DETACH);
    }
  }

  private Path unpack(String name, TarBuilder layer, LowerLayers.Layer... below) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(name));
    new LayerUnpacker(UnpackOptions.overlay()).unpack(new ByteArrayInputStream(layer.bytes()), Compression.NONE,
        dir, name, () -> List.of(below));
    return dir;
  }

  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
