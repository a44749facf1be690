package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.internal.util.Hashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
  void recordedSha_isThereAndIsTheHelpersHash() {
    byte[] helper = HelperBinary.bytesFor("this machine", System.getProperty("os.arch"));
    assertThat(HelperBinary.recordedSha()).as("the build writes NAME.sha256 beside the helper")
        .hasValue(Hashes.sha256Hex(helper));
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
