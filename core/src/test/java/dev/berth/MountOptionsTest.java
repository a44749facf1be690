package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mount options of RunOptions: what they hold and what they refuse. */
class MountOptionsTest {
  @Test
  void bind_missingHostPath_throwsNamingIt(@TempDir Path dir) {
    assertThatThrownBy(() -> RunOptions.builder().bind(dir.resolve("gone"), "/x", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bind source path does not exist: " + dir.resolve("gone"));
  }

  @Test
  void bind_relativeContainerPath_isRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> RunOptions.builder().bind(dir, "data", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mount target 'data' must be an absolute path");
  }

  @Test
  void volume_invalidName_isRefused() {
    assertThatThrownBy(() -> RunOptions.builder().volume("a b", "/data"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid volume name 'a b'");
  }

  @Test
  void tmpfs_badMode_isRefused() {
    assertThatThrownBy(() -> RunOptions.builder().tmpfs("/t", 0, 010000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tmpfs at /t");
  }

  @Test
  void mounts_sameTarget_laterReplacesEarlier(@TempDir Path dir) {
    RunOptions opts = RunOptions.builder().volume("one", "/data").bind(dir, "/data", true)
        .build();
    assertThat(opts.mounts()).containsExactly(
        new Mount(Mount.Type.BIND, dir.toString(), "/data", true, 0, 0));
  }

  @Test
  void toBuilder_keepsMounts() {
    RunOptions opts = RunOptions.builder().volume("/anon").tmpfs("/t", 1024, 0700).build();
    assertThat(opts.toBuilder().build()).isEqualTo(opts);
  }
}
