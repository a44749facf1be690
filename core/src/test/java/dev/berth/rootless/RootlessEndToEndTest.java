package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Berth as an unprivileged user with the full id range and kernel overlay (see {@link
 * RootlessRun}). Each test checks one thing the scenario printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessEndToEndTest {
  @AutoClose private RootlessRun run;
  private Path home;
  private Map<String, String> said;
  private int uid;

  @BeforeAll
  void runScenarioAsUnprivilegedUser() throws Exception {
    run = RootlessRun.start(Map.of());
    said = run.said();
    home = run.home();
    uid = run.uid();
  }

  @Test
  void info_reportsRootlessWithTheFullRangeAndUserxattrOverlay() {
    assertThat(said.get("info.userNamespace")).isEqualTo("FULL_RANGE");
    assertThat(said.get("info.rootfs")).isEqualTo("OVERLAY_USERXATTR");
    assertThat(said.get("info")).contains("rootless:        true", "store:           " + home);
  }

  @Test
  void inspect_showsTheMappingAndRootfsOfEachContainer() {
    assertThat(said.get("busybox.inspect")).isEqualTo("FULL_RANGE OVERLAY_USERXATTR");
  }

  @Test
  void id_inContainer_isRoot() {
    assertThat(said.get("busybox.id")).startsWith("uid=0(root) gid=0(root)");
  }

  @Test
  void echo_printsItsArguments() {
    assertThat(said.get("busybox.echo")).isEqualTo("hello from rootless");
  }

  @Test
  void uidMap_mapsRootToTheUserAndOneOnToTheSubordinateRange() {
    assertThat(said.get("busybox.uidMap")).containsPattern("\\b0\\s+" + uid + "\\s+1\\b")
        .containsPattern("\\b1\\s+\\d+\\s+65536\\b");
  }

  @Test
  void layerOwner_uid1000_staysUid1000Inside() {
    assertThat(said.get("busybox.appHome")).isEqualTo("1000:1000");
  }

  @Test
  void layerOwner_uid1000_isASubordinateIdOnTheHost() {
    int onHost = Integer.parseInt(said.get("busybox.appHomeOnHost").split(":")[0]);
    assertThat(onHost).isNotIn(0, 1000, uid).isGreaterThan(65535);
  }

  @Test
  void node_runsDebiansNode() {
    assertThat(said.get("node.version")).matches("v\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void shadow_isOwnedByRootAndGroupShadowInside() {
    assertThat(said.get("node.shadow")).startsWith("root:shadow ");
  }

  @Test
  void procSys_isNotWritableByContainerRoot() {
    assertThat(said.get("busybox.procSys")).isEqualTo("refused");
  }

  @Test
  void mount_isRefusedToContainerRoot() {
    assertThat(said.get("busybox.mount")).isEqualTo("refused");
  }

  @Test
  void fileCreatedByContainerRoot_isOwnedByTheUserOnTheHost() {
    assertThat(said.get("busybox.rootUpperOwner")).endsWith(uid + ":" + uid);
  }

  @Test
  void fileCreatedByContainerUser1000_isOwnedByASubordinateIdOnTheHost() {
    String owner = said.get("busybox.appUpperOwner");
    int onHost = Integer.parseInt(owner.substring(owner.lastIndexOf(' ') + 1).split(":")[0].strip());
    assertThat(onHost).isGreaterThan(65535);
  }

  @Test
  void closedContainers_areRemovedEvenWithSubordinateOwnedFiles() {
    assertThat(said.get("containers.left")).isEqualTo("0");
  }

  @Test
  void startAgain_rootlessContainer_keepsItsFiles() {
    assertThat(said.get("busybox.startAgain")).isEqualTo("1 2");
  }

  @Test
  void autoRemove_monitorRemovesTheContainerEvenWithSubordinateOwnedFiles() {
    assertThat(said.get("busybox.autoRemove")).isEqualTo("removed");
  }

  @Test
  void rootOwnedHostDirectory_boundReadWrite_isNotWritableByContainerRoot() {
    assertThat(said.get("bind.rootOwnedRw")).isEqualTo("refused");
  }

  @Test
  void readOnlyBind_isNotWritable() {
    assertThat(said.get("bind.mineRo")).isEqualTo("refused");
  }
}
