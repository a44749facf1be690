package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.internal.util.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperBinaryTest {
  @TempDir Path cache;

  @Test
  void path_extractsHelperNamedBySha256() throws Exception {
    Path helper = new HelperBinary(cache).path();
    assertThat(helper.getFileName().toString()).isEqualTo("berth-helper-" + Hashes.sha256Hex(Files.readAllBytes(helper)));
  }

  @Test
  void machines_areTheBuildsArches_andTheJarHoldsAHelperForEachAndNoOther() throws Exception {
    assertThat(Files.readAllLines(Path.of("src/main/c/build.sh"))).as("core/src/main/c/build.sh")
        .contains("ARCHES=\"" + String.join(" ", HelperBinary.MACHINES) + "\"");
    Path classes = Path.of(HelperBinary.class.getResource("HelperBinary.class").toURI()).getParent();
    try (Stream<Path> files = Files.list(classes)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.matches("berth-helper-[^.]+")))
          .containsExactlyInAnyOrderElementsOf(HelperBinary.MACHINES.stream().map(m -> "berth-helper-" + m).toList());
    }
  }

  @Test
  void recordedSums_areThereAndAreTheHelpersHashCrcAndSize() {
    byte[] helper = HelperBinary.bytesFor("this machine", System.getProperty("os.arch"));
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(helper);
    assertThat(HelperBinary.Sums.recorded()).as("the build writes NAME.sums beside the helper")
        .isEqualTo(new HelperBinary.Sums(Hashes.sha256Hex(helper), crc.getValue(), helper.length));
  }

  @Test
  void sums_malformedOrIncomplete_areNone_soTheHelperIsComparedWithTheJars() {
    String sha = "a".repeat(64);
    assertThat(HelperBinary.Sums.parse(("sha256 " + sha + "\ncrc32 12\nsize 34\n").getBytes()))
        .isEqualTo(new HelperBinary.Sums(sha, 12, 34));
    assertThat(HelperBinary.Sums.parse(("sha256 " + sha + "\ncrc32 12\n").getBytes())).as("no size").isNull();
    assertThat(HelperBinary.Sums.parse(("sha256 " + sha + "\ncrc32 x\nsize 34\n").getBytes())).as("no number").isNull();
    assertThat(HelperBinary.Sums.parse(("sha256 " + "A".repeat(64) + "\ncrc32 12\nsize 34\n").getBytes()))
        .as("not lowercase hex").isNull();
    assertThat(HelperBinary.Sums.parse("d515281edab7b419\n".getBytes())).as("the old .sha256 format").isNull();
  }

  @Test
  void path_anIntactCopy_isLeftAsItIs() throws Exception {
    Path helper = new HelperBinary(cache).path();
    Object written = Files.readAttributes(helper, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

    assertThat(new HelperBinary(cache).path()).isEqualTo(helper);
    assertThat(Files.readAttributes(helper, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
        .as("not written again").isEqualTo(written);
  }

  @Test
  void path_oneByteChangedInPlace_modeAndSizeKept_isExtractedAgain() throws Exception {
    Path helper = new HelperBinary(cache).path();
    byte[] original = Files.readAllBytes(helper);
    byte[] damaged = original.clone();
    damaged[damaged.length / 2] ^= 1;
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.write(helper, damaged);
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("r-xr-xr-x"));

    new HelperBinary(cache).path();

    assertThat(Files.readAllBytes(helper)).isEqualTo(original);
  }

  @Test
  void path_aCopyMadeWritable_isMode0555Again() throws Exception {
    Path helper = new HelperBinary(cache).path();
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxrwxrwx"));

    new HelperBinary(cache).path();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(helper))).isEqualTo("r-xr-xr-x");
  }

  @Test
  void path_aSymlinkInItsPlace_isReplacedByTheHelper(@TempDir Path elsewhere) throws Exception {
    Path helper = new HelperBinary(cache).path();
    byte[] original = Files.readAllBytes(helper);
    Path other = Files.write(elsewhere.resolve("same"), original);
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.delete(helper);
    Files.createSymbolicLink(helper, other);

    new HelperBinary(cache).path();

    assertThat(Files.isSymbolicLink(helper)).isFalse();
    assertThat(Files.readAllBytes(helper)).isEqualTo(original);
  }

  @Test
  void path_extractedHelperIsMode0555() throws Exception {
    Path helper = new HelperBinary(cache).path();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(helper))).isEqualTo("r-xr-xr-x");
  }

  @Test
  void path_tamperedHelper_isExtractedAgain() throws Exception {
    Path helper = new HelperBinary(cache).path();
    byte[] original = Files.readAllBytes(helper);
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x")); // as its owner could
    Files.writeString(helper, "#!/bin/sh\necho evil\n");
    new HelperBinary(cache).path();
    assertThat(Files.readAllBytes(helper)).isEqualTo(original);
  }

  @Test
  void path_missingCacheDir_isCreated() {
    Path helper = new HelperBinary(cache.resolve("a/b")).path();
    assertThat(helper).startsWith(cache.resolve("a/b")).isExecutable();
  }

  @Test
  void launchPath_isOneSealedCopyForTheJvm_withTheFilesBytes() throws Exception {
    Path helper = new HelperBinary(cache).path();
    Path copy = HelperBinary.launchPath(helper);

    assertThat(HelperBinary.launchPath(helper)).isEqualTo(copy);
    assertThat(copy.toString()).startsWith("/proc/" + ProcessHandle.current().pid() + "/fd/");
    assertThat(Files.readSymbolicLink(copy).toString()).startsWith("/memfd:berth-helper");
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(helper));
    assertThat(Files.isExecutable(copy)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> Files.write(copy, new byte[] {0}, java.nio.file.StandardOpenOption.WRITE))
        .as("sealed against writes").isInstanceOf(java.io.IOException.class);
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(helper));
  }
}
