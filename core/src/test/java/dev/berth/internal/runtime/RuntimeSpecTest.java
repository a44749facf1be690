package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.internal.runtime.RuntimeSpec.Directory;
import dev.berth.internal.runtime.RuntimeSpec.Mount;
import dev.berth.internal.runtime.RuntimeSpec.Namespace;
import dev.berth.internal.runtime.RuntimeSpec.Overlay;
import dev.berth.internal.runtime.RuntimeSpec.Rlimit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeSpecTest {
  private static final Directory ROOT = new Directory(Path.of("/rootfs"));

  @Test
  void emptyArgv_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT).build()).hasMessageContaining("argv is empty");
  }

  @Test
  void envWithoutEquals_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").env("NOPE").build()).hasMessageContaining("\"NOPE\" is not NAME=VALUE");
  }

  @Test
  void relativeCwd_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").cwd("app").build()).hasMessageContaining("\"app\" must be absolute");
  }

  @Test
  void negativeUid_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").user(-1, 0).build()).hasMessageContaining("must be >= 0");
  }

  @Test
  void longHostname_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").hostname("h".repeat(65)).build()).hasMessageContaining("1 to 64");
  }

  @Test
  void noMountNamespace_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").namespaces(Set.of(Namespace.PID)).build())
        .hasMessageContaining("Namespace.MOUNT");
  }

  @Test
  void overlayWithoutLayers_isRefused() {
    assertThatThrownBy(() -> new Overlay(List.of(), Path.of("/u"), Path.of("/w"))).hasMessageContaining("at least one layer");
  }

  @Test
  void relativeLayer_isRefused() {
    assertThatThrownBy(() -> new Overlay(List.of(Path.of("l")), Path.of("/u"), Path.of("/w"))).hasMessageContaining("\"l\" must be an absolute");
  }

  @Test
  void unknownMountType_isRefused() {
    assertThatThrownBy(() -> new Mount("nfs", "/a", "/b", "")).hasMessageContaining("\"nfs\" is not bind or tmpfs");
  }

  @Test
  void bindWithBadOptions_isRefused() {
    assertThatThrownBy(() -> new Mount("bind", "/a", "/b", "rshared")).hasMessageContaining("must be ro or rw");
  }

  @Test
  void unknownRlimit_isRefused() {
    assertThatThrownBy(() -> new Rlimit("FILES", 1, 1)).hasMessageContaining("unknown rlimit FILES");
  }

  @Test
  void rlimitSoftAboveHard_isRefused() {
    assertThatThrownBy(() -> new Rlimit("NOFILE", 10, 5)).hasMessageContaining("soft limit 10 is above the hard limit 5");
  }

  @Test
  void config_nulInArgument_isRefused() {
    RuntimeSpec spec = RuntimeSpec.builder(ROOT, "echo", "a\0b").build();
    assertThatThrownBy(() -> HelperConfig.encode(spec, new ContainerFiles(Path.of("/c")))).hasMessageContaining("contains a NUL byte");
  }

  @Test
  void config_overlay_listsLayersTopFirstAfterVersion() {
    RuntimeSpec spec = RuntimeSpec.builder(new Overlay(List.of(Path.of("/top"), Path.of("/base")), Path.of("/u"), Path.of("/w")), "sh").build();
    String text = new String(HelperConfig.encode(spec, new ContainerFiles(Path.of("/c"))), StandardCharsets.UTF_8);
    assertThat(text).startsWith("version 1\0").contains("rootfs.lower /top\0rootfs.lower /base\0rootfs.upper /u\0rootfs.work /w\0");
  }

  private static String config(RuntimeSpec spec) {
    return new String(HelperConfig.encode(spec, new ContainerFiles(Path.of("/c"))), StandardCharsets.UTF_8);
  }

  @Test
  void capAdd_unknownName_isRefusedNamingIt() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").capAdd("NET_ADMINS").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"NET_ADMINS\"");
  }

  @Test
  void defaults_areDockersSecurity() {
    assertThat(RuntimeSpec.builder(ROOT, "sh").build().security()).isEqualTo(RuntimeSpec.Security.defaults());
  }

  @Test
  void privileged_dropsTheSeccompFilter() {
    assertThat(RuntimeSpec.builder(ROOT, "sh").privileged(true).build().security().seccomp()).isInstanceOf(RuntimeSpec.Unconfined.class);
  }

  @Test
  void privilegedWithSeccomp_isRefused() {
    assertThatThrownBy(() -> new RuntimeSpec.Security(Set.of(), new RuntimeSpec.BuiltInSeccomp(), true, false, true))
        .hasMessageContaining("privileged container has no seccomp filter");
  }

  @Test
  void relativeSeccompProfile_isRefused() {
    assertThatThrownBy(() -> new RuntimeSpec.SeccompProfileFile(Path.of("profile.json"))).hasMessageContaining("must be an absolute path");
  }

  @Test
  void config_defaults_carryDockersCapsSeccompAndNoNewPrivs() {
    assertThat(config(RuntimeSpec.builder(ROOT, "sh").build()))
        .contains("cap 0\0").contains("cap 29\0").doesNotContain("cap 21\0")
        .contains("seccomp /c/seccomp.bpf\0no_new_privs 1\0readonly_rootfs 0\0privileged 0\0");
  }

  @Test
  void config_dropAll_saysNoCapabilities() {
    assertThat(config(RuntimeSpec.builder(ROOT, "sh").capDrop("ALL").build())).contains("\0cap none\0").doesNotContain("cap 0\0");
  }

  @Test
  void config_unconfined_hasNoSeccompRecord() {
    assertThat(config(RuntimeSpec.builder(ROOT, "sh").seccomp(new RuntimeSpec.Unconfined()).build())).doesNotContain("seccomp ");
  }

  @Test
  void ttySize_zeroRows_isRefused() {
    assertThatThrownBy(() -> RuntimeSpec.builder(ROOT, "sh").ttySize(0, 80)).hasMessageContaining("0x80 must have 1 to 65535");
  }

  @Test
  void ttySize_tooManyColumns_isRefused() {
    assertThatThrownBy(() -> new TtySize(24, 65536)).hasMessageContaining("24x65536");
  }

  @Test
  void tty_isOffByDefaultWithTheDefaultSize() {
    RuntimeSpec spec = RuntimeSpec.builder(ROOT, "sh").build();
    assertThat(spec.process().tty()).isFalse();
    assertThat(spec.process().ttySize()).isEqualTo(new TtySize(24, 80));
  }

  @Test
  void execSpec_emptyArgv_isRefused() {
    assertThatThrownBy(() -> RuntimeProcess.builder().build()).hasMessageContaining("argv is empty");
  }

  @Test
  void execSpec_relativeCwd_isRefused() {
    assertThatThrownBy(() -> RuntimeProcess.builder("ls").cwd("tmp").build()).hasMessageContaining("\"tmp\" must be absolute");
  }

  @Test
  void execSpec_envWithoutEquals_isRefused() {
    assertThatThrownBy(() -> RuntimeProcess.builder("ls").env("=x").build()).hasMessageContaining("\"=x\" is not NAME=VALUE");
  }
}
