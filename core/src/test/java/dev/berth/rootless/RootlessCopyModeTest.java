package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Rootless with the root file system forced to a copy of the layers (BERTH_ROOTFS=copy). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessCopyModeTest {
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioInCopyMode() throws Exception {
    run = RootlessRun.start(Map.of("BERTH_ROOTFS", "copy"));
    said = run.said();
  }

  @Test
  void info_andInspect_sayCopy() {
    assertThat(said.get("info.rootfs")).isEqualTo("COPY");
    assertThat(said.get("busybox.inspect")).isEqualTo("FULL_RANGE COPY");
  }

  @Test
  void id_inContainer_isRoot() {
    assertThat(said.get("busybox.id")).startsWith("uid=0(root) gid=0(root)");
  }

  @Test
  void copiedOwner_uid1000_staysUid1000Inside() {
    assertThat(said.get("busybox.appHome")).isEqualTo("1000:1000");
  }

  @Test
  void node_runsFromTheCopy() {
    assertThat(said.get("node.version")).matches("v\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void shadow_keepsRootAndGroupShadowInTheCopy() {
    assertThat(said.get("node.shadow")).isEqualTo("root:shadow 640");
  }

  @Test
  void fileCreatedByContainerUser1000_isOwnedByASubordinateIdOnTheHost() {
    String owner = said.get("busybox.appUpperOwner");
    assertThat(Integer.parseInt(owner.substring(owner.lastIndexOf(' ') + 1).split(":")[0].strip())).isGreaterThan(65535);
  }

  @Test
  void startAgain_keepsTheCopiedRootsChanges() {
    assertThat(said.get("busybox.startAgain")).isEqualTo("1 2");
  }

  @Test
  void closedContainers_areRemovedWithTheirCopies() {
    assertThat(said.get("containers.left")).isEqualTo("0");
  }
}
