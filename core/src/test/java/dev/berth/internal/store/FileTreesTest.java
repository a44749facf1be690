package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @Test
  void writeAtomically_replacesTheFile_ownerOnly_andLeavesNoTempFile(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("sub/state.json");
    FileTrees.writeAtomically(target, "one".getBytes(), false);
    FileTrees.writeAtomically(target, "two".getBytes(), true);

    assertThat(target).hasContent("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void writeAtomically_thatCannotRename_throws_andLeavesNoTempFile(@TempDir Path dir) throws Exception {
    Path target = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(target.resolve("inside"), "x"); // a non-empty dir: the rename over it fails

    assertThatThrownBy(() -> FileTrees.writeAtomically(target, "one".getBytes(), false)).isInstanceOf(java.io.IOException.class);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void writeAtomically_withAMode_givesTheFileThatMode(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("hosts");
    FileTrees.writeAtomically(target, "x".getBytes(), false, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
  }

  @Test
  void deleteRecursively_removesEveryKindOfEntry_andFollowsNoSymlink(@TempDir Path dir) throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "kept");
    Path root = Files.createDirectories(dir.resolve("tree/a/b/c")).getParent().getParent().getParent();
    Files.writeString(root.resolve("a/b/c/deep"), "x");
    Files.writeString(root.resolve(".hidden"), "x");
    Files.createSymbolicLink(root.resolve("a/to-dir"), outside);
    Files.createSymbolicLink(root.resolve("a/to-file"), outside.resolve("keep"));
    Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));
    new ProcessBuilder("mkfifo", root.resolve("a/fifo").toString()).start().waitFor();
    Path readOnly = Files.createDirectories(root.resolve("ro"));
    Files.writeString(readOnly.resolve("inside"), "x");
    Files.createDirectories(readOnly.resolve("sub"));
    Files.setPosixFilePermissions(readOnly.resolve("sub"), PosixFilePermissions.fromString("---------"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    assertThat(root.resolve("a/fifo")).exists();

    FileTrees.deleteRecursively(root);

    assertThat(root).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("kept");
    FileTrees.deleteRecursively(root); // gone: nothing to do
  }

  @Test
  void deleteRecursively_ofAFileOrASymlink_removesOnlyThat(@TempDir Path dir) throws Exception {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("f"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    Path file = Files.writeString(dir.resolve("file"), "x");

    FileTrees.deleteRecursively(link);
    FileTrees.deleteRecursively(file);

    assertThat(dir.resolve("link")).doesNotExist();
    assertThat(file).doesNotExist();
    assertThat(target.resolve("f")).hasContent("x");
  }

  @Test
  void deleteRecursively_anEntryThatWillNotGo_throwsNamingIt(@TempDir Path dir) throws Exception {
    assumeTrue(Linux.isRoot(), "needs root to mount a tmpfs (a mount point cannot be removed: EBUSY)");
    Path root = Files.createDirectories(dir.resolve("tree/mnt")).getParent();
    Files.writeString(root.resolve("file"), "x");
    Syscalls.mount("tmpfs", root.resolve("mnt").toString(), "tmpfs", 0, "size=1m");
    try {
      Files.writeString(root.resolve("mnt/on-the-mount"), "x");

      assertThatThrownBy(() -> FileTrees.deleteRecursively(dir.resolve("tree")))
          .isInstanceOf(java.io.IOException.class).hasMessageContaining("mnt");
      assertThat(root.resolve("mnt")).exists();
    } finally {
      Syscalls.umount2(root.resolve("mnt").toString(), Fcntl.MNT_DETACH);
    }
  }
}
