package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.BerthException;
import dev.berth.RunOptions;
import dev.berth.internal.manifest.ImageConfig.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessSpecTest {
  private static final ContainerConfig NODE = new ContainerConfig("", null,
      List.of("PATH=/usr/local/bin:/usr/bin:/bin", "NODE_ENV=production"),
      List.of("docker-entrypoint.sh"), List.of("node"), null, "/app", null, null, null, null,
      false, null);

  private static ProcessSpec resolve(RunOptions opts) {
    return ProcessSpec.resolve(NODE, opts, "abc123", "node");
  }

  @Test
  void noOverrides_runsEntrypointThenCmd() {
    assertThat(resolve(RunOptions.builder().build()).argv())
        .containsExactly("docker-entrypoint.sh", "node");
  }

  @Test
  void command_replacesCmdButKeepsEntrypoint() {
    assertThat(resolve(RunOptions.command("node", "--version")).argv())
        .containsExactly("docker-entrypoint.sh", "node", "--version");
  }

  @Test
  void entrypoint_replacesEntrypointAndDropsTheImagesCmd() {
    assertThat(resolve(RunOptions.builder().entrypoint("sh").build()).argv())
        .containsExactly("sh");
  }

  @Test
  void entrypointAndCommand_bothApply() {
    assertThat(resolve(RunOptions.builder().entrypoint("sh").command("-c", "true").build()).argv())
        .containsExactly("sh", "-c", "true");
  }

  @Test
  void env_imageValuesFirstThenOverridesByName() {
    ProcessSpec spec = resolve(RunOptions.builder().env("NODE_ENV", "test").env("X", "1").build());
    assertThat(spec.env()).containsExactly("PATH=/usr/local/bin:/usr/bin:/bin",
        "HOSTNAME=abc123", "NODE_ENV=test", "X=1");
  }

  @Test
  void env_withoutPathInImage_getsDockersDefaultPath() {
    ContainerConfig bare = new ContainerConfig(null, null, null, null, List.of("sh"), null, null,
        null, null, null, null, false, null);
    assertThat(ProcessSpec.resolve(bare, RunOptions.builder().build(), "h", "x").env())
        .contains("PATH=" + ProcessSpec.DEFAULT_PATH);
  }

  @Test
  void tty_setsTermXterm() {
    assertThat(resolve(RunOptions.builder().tty(true).build()).env()).contains("TERM=xterm");
  }

  @Test
  void workingDir_optionOverImageOverRoot() {
    assertThat(resolve(RunOptions.builder().build()).workingDir()).isEqualTo("/app");
    assertThat(resolve(RunOptions.builder().workingDir("/tmp").build()).workingDir())
        .isEqualTo("/tmp");
  }

  @Test
  void noCommandAnywhere_throwsNamingTheImage() {
    ContainerConfig empty = new ContainerConfig(null, null, null, null, null, null, null, null,
        null, null, null, false, null);
    assertThatThrownBy(() -> ProcessSpec.resolve(empty, RunOptions.builder().build(), "h", "scratchy"))
        .isInstanceOf(BerthException.class)
        .hasMessageContaining("no command specified")
        .hasMessageContaining("scratchy");
  }

  @Test
  void withHome_addsHomeOnlyWhenMissing() {
    ProcessSpec spec = resolve(RunOptions.builder().build()).withHome("/root");
    assertThat(spec.env()).contains("HOME=/root");
    assertThat(spec.withHome("/other").env()).doesNotContain("HOME=/other");
  }
}
