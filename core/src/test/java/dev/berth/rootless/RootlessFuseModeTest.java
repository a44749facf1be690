package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.testing.MachineLacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Rootless with the root file system forced to fuse-overlayfs (BERTH_ROOTFS=fuse_overlayfs). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessFuseModeTest {
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioOnFuseOverlayfs() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/fuse-overlayfs")), "needs fuse-overlayfs (apt-get install fuse-overlayfs)");
    MachineLacks.assume(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
    int mode = (Integer) Files.getAttribute(Path.of("/dev/fuse"), "unix:mode");
    MachineLacks.assume((mode & 0006) == 0006, "a /dev/fuse usable by unprivileged users on this machine (mode "
        + Integer.toOctalString(mode & 0777) + "; Debian's udev makes it 0666): FuseOverlayContainerTest covers the helper as root");
    run = RootlessRun.start(Map.of("BERTH_ROOTFS", "fuse_overlayfs"));
    said = run.said();
  }

  @Test
  void info_andInspect_sayFuseOverlayfs() {
    assertThat(said.get("info.rootfs")).isEqualTo("FUSE_OVERLAYFS");
    assertThat(said.get("busybox.inspect")).isEqualTo("FULL_RANGE FUSE_OVERLAYFS");
  }

  @Test
  void echo_printsOnlyWhatTheContainerSaid() {
    assertThat(said.get("busybox.echo")).isEqualTo("hello from rootless");
  }

  @Test
  void layerOwner_uid1000_staysUid1000Inside() {
    assertThat(said.get("busybox.appHome")).isEqualTo("1000:1000");
  }

  @Test
  void node_runsOnFuseOverlayfs() {
    assertThat(said.get("node.version")).matches("v\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void shadow_isOwnedByRootAndGroupShadowInside() {
    assertThat(said.get("node.shadow")).isEqualTo("root:shadow 640");
  }

  @Test
  void fileCreatedByContainerUser1000_isOwnedByASubordinateIdOnTheHost() {
    String owner = said.get("busybox.appUpperOwner");
    assertThat(Integer.parseInt(owner.substring(owner.lastIndexOf(' ') + 1).split(":")[0].strip())).isGreaterThan(65535);
  }

  @Test
  void closedContainers_areRemoved() {
    assertThat(said.get("containers.left")).isEqualTo("0");
  }
}
