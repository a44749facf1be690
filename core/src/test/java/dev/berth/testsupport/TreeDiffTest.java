package dev.berth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDiffTest {
  @TempDir Path tmp;
  private Path a;
  private Path b;

  @BeforeEach
  void twoEqualTrees() throws Exception {
    a = Files.createDirectory(tmp.resolve("a"));
    b = Files.createDirectory(tmp.resolve("b"));
    for (Path root : new Path[] {a, b}) {
      Files.createDirectory(root.resolve("d"));
      Files.writeString(root.resolve("d/f"), "content");
      Files.createLink(root.resolve("d/h"), root.resolve("d/f"));
      Files.createSymbolicLink(root.resolve("l"), Path.of("d/f"));
      Files.writeString(root.resolve("d/g"), "single");
      Files.setLastModifiedTime(root.resolve("d/g"), FileTime.from(Instant.EPOCH));
      Files.setLastModifiedTime(root.resolve("d/f"), FileTime.from(Instant.EPOCH));
      Syscalls.utimensat(Fcntl.AT_FDCWD, root.resolve("l").toString(), Instant.EPOCH, Instant.EPOCH,
          Fcntl.AT_SYMLINK_NOFOLLOW);
    }
  }

  @Test
  void equalTrees_haveNoDifferences() {
    assertThat(TreeDiff.between(a, b).differences()).isEmpty();
  }

  @Test
  void differentContent_isReported() throws Exception {
    Files.writeString(b.resolve("d/g"), "other");

    assertThat(TreeDiff.between(a, b).differences()).singleElement().asString().startsWith("d/g: expected");
  }

  @Test
  void differentMode_isReported() throws Exception {
    Files.setPosixFilePermissions(b.resolve("d"), PosixFilePermissions.fromString("rwx------"));

    assertThat(TreeDiff.between(a, b).differences()).singleElement().asString().startsWith("d: expected");
  }

  @Test
  void differentSymlinkTarget_isReported() throws Exception {
    Files.delete(b.resolve("l"));
    Files.createSymbolicLink(b.resolve("l"), Path.of("d/h"));

    assertThat(TreeDiff.between(a, b).differences()).singleElement().asString().startsWith("l: expected");
  }

  @Test
  void brokenHardlink_isReported() throws Exception {
    Files.delete(b.resolve("d/h"));
    Files.writeString(b.resolve("d/h"), "content");

    assertThat(TreeDiff.between(a, b).differences()).hasSize(2); // d/f and d/h lost their group
  }

  @Test
  void differentXattr_isReportedUnlessIgnored() throws Exception {
    Xattrs.lsetxattr(b.resolve("d/g").toString(), "user.x", new byte[] {1});

    assertThat(TreeDiff.between(a, b).differences()).hasSize(1);
    assertThat(TreeDiff.between(a, b).ignoringXattrPrefix("user.").differences()).isEmpty();
  }

  @Test
  void differentMtime_isReportedOnlyWithMtimes() throws Exception {
    Files.setLastModifiedTime(b.resolve("d/g"), FileTime.from(Instant.ofEpochSecond(5)));

    assertThat(TreeDiff.between(a, b).differences()).isEmpty();
    assertThat(TreeDiff.between(a, b).withMtimes().differences()).hasSize(1);
  }

  @Test
  void missingPath_isReportedAndFailsAssertSame() throws Exception {
    Files.delete(b.resolve("l"));

    assertThatThrownBy(() -> TreeDiff.between(a, b).assertSame())
        .isInstanceOf(AssertionError.class).hasMessageContaining("l: only in " + a);
  }
}
