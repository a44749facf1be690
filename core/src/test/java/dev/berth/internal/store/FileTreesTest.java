package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
