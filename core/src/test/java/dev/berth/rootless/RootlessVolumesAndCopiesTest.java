package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * As an unprivileged user with the full id range (see {@link RootlessRun}): new volumes are
 * filled from the image with its owners, and stopped containers take copies in and out, through
 * the helper's file system jobs ({@link RootlessFilesScenarioMain}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessVolumesAndCopiesTest {
  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runScenarioAsUnprivilegedUser() throws Exception {
    run = RootlessRun.start(RootlessFilesScenarioMain.class, env());
    said = run.said();
  }

  /** The child JVM's extra environment: none, so the kernel's overlay with userxattr. */
  Map<String, String> env() {
    return Map.of();
  }

  @Test
  void rootFileSystem_isTheOneThisClassTests() {
    assertThat(said.get("info.rootfs")).isEqualTo(env().isEmpty() ? "OVERLAY_USERXATTR" : "COPY");
  }

  @Test
  void newNamedVolume_takesTheImageDirectorysOwnerAndMode() {
    assertThat(said.get("volume.first")).isEqualTo("1000:1000 755");
  }

  @Test
  void newNamedVolume_isOwnedByASubordinateIdOnTheHost() {
    assertThat(Integer.parseInt(said.get("volume.onHost").split(":")[0])).isGreaterThan(65535);
  }

  @Test
  void secondContainer_seesTheVolumesDataAndOwners() {
    assertThat(said.get("volume.second")).isEqualTo("1000:1000 755\n1000:1000 644\nkept");
  }

  @Test
  void anonymousVolume_overSeveralLayers_keepsGroupAndSetgidMode() {
    assertThat(said.get("volume.node")).isEqualTo("root:mail 2775\n/var/lib/dpkg/status");
  }

  @Test
  void namedVolume_filledFromOneImage_isSeenWithItsOwnersByAnother() {
    assertThat(said.get("volume.nodeNamed")).isEqualTo("ok");
    assertThat(said.get("volume.nodeNamedAgain")).isEqualTo("0:8 2775\n8:8 644");
  }

  @Test
  void stoppedContainer_copyFrom_readsWhatItWrote() {
    assertThat(said.get("copy.state")).isEqualTo("EXITED");
    assertThat(said.get("copy.from")).isEqualTo("made inside");
  }

  @Test
  void stoppedContainer_copyTo_landsInItsUpperDir() {
    assertThat(said.get("copy.roundTrip")).isEqualTo("from the host");
    assertThat(said.get("copy.inUpper")).isEqualTo("true");
  }

  @Test
  void stoppedContainer_symlinkToAHostDirectory_doesNotLeadTheCopyOut() {
    assertThat(said.get("copy.escapeTo")).startsWith("refused: ");
    assertThat(said.get("copy.escapeToHost")).isEqualTo("false");
  }

  @Test
  void stoppedContainer_dotDot_doesNotLeadTheCopyOut() {
    assertThat(said.get("copy.dotDotTo")).startsWith("refused: ");
    assertThat(said.get("copy.dotDotToHost")).isEqualTo("false");
  }

  @Test
  void stoppedContainer_symlinkToRoot_resolvesInsideTheContainer() {
    assertThat(said.get("copy.escapeFrom")).startsWith("refused: ");
    assertThat(said.get("copy.viaLinkStaysInside")).isEqualTo("from the host");
  }

  @Test
  void stoppedContainer_copyLeavesNothingMounted() {
    assertThat(said.get("copy.leftMounted")).isEqualTo("false");
  }

  @Test
  void privileged_inAUserNamespace_bindsTheHostsDevices() {
    String[] said = this.said.get("privileged.device").split(" ", 2);
    assertThat(said[1]).matches("(character special file|block special file) [0-9a-f]+:[0-9a-f]+\npts/ptmx");
    assertThat(this.said.get("unprivileged.device")).isEqualTo(said[0] + " absent");
  }

  @Test
  void limitWithoutADelegatedCgroup_failsSayingHowToDelegate() {
    assertThat(said.get("limits.refused")).startsWith("[failed: ").contains("memory limit", "not root", "chown", "Delegate=yes");
  }

  @Test
  void limitWithoutADelegatedCgroup_bestEffort_runsWithoutIt() {
    assertThat(said.get("limits.bestEffort")).isEqualTo("ran");
  }
}
