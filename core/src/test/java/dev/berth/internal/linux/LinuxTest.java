package dev.berth.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinuxTest {
  private static final String V1_LINE =
      "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu";
  private static final String V2_ROOT_LINE =
      "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
  private static final String V2_UNIFIED_LINE =
      "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw";

  @Test
  void effectiveUid_fromProc_isTheKernelsGeteuid() {
    assertThat(Linux.effectiveUid()).isEqualTo(Syscalls.geteuid());
  }

  @Test
  void cgroupVersion_onlyUnifiedAtSysFsCgroup_isV2() {
    assertThat(Linux.cgroupVersion(List.of(V2_ROOT_LINE))).isEqualTo(CgroupVersion.V2);
  }

  @Test
  void cgroupVersion_onlyLegacyControllers_isV1() {
    assertThat(Linux.cgroupVersion(List.of(V1_LINE))).isEqualTo(CgroupVersion.V1);
  }

  @Test
  void cgroupVersion_legacyPlusUnified_isHybrid() {
    assertThat(Linux.cgroupVersion(List.of(V1_LINE, V2_UNIFIED_LINE))).isEqualTo(CgroupVersion.HYBRID);
  }

  @Test
  void cgroupVersion_noCgroupMounts_isNone() {
    assertThat(Linux.cgroupVersion(List.of("22 1 8:1 / / rw - ext4 /dev/vda rw"))).isEqualTo(CgroupVersion.NONE);
  }

  @Test
  void mountPointsUnder_findsTheDirAndItsSubdirs_deepestFirst_withEscapedSpaces() {
    List<String> mountinfo = List.of(
        "22 1 8:1 / / rw - ext4 /dev/vda rw",
        "90 22 0:50 / /home/b/containers/c1/copy-view rw - overlay overlay rw",
        "91 90 0:51 / /home/b/containers/c1/copy-view/data rw - tmpfs tmpfs rw",
        "92 22 0:52 / /home/b/containers/c10 rw - tmpfs tmpfs rw",
        "93 22 0:53 / /home/b/containers/c1/a\\040b rw - tmpfs tmpfs rw");
    assertThat(Linux.mountPointsUnder(mountinfo, Path.of("/home/b/containers/c1"))).containsExactly(
        Path.of("/home/b/containers/c1/copy-view/data"),
        Path.of("/home/b/containers/c1/copy-view"),
        Path.of("/home/b/containers/c1/a b"));
  }

  @Test
  void hasOverlay_agreesWithProcFilesystems() throws Exception {
    assertThat(Linux.hasOverlay())
        .isEqualTo(Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n"));
  }

  @Test
  void isRoot_agreesWithUserName() {
    assertThat(Linux.isRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
  }

  @Test
  void hasOpenat2_onThisKernel_answersWithoutThrowing() {
    boolean expected = kernelAtLeast(5, 6);
    assertThat(Linux.hasOpenat2()).isEqualTo(expected);
  }

  @Test
  void canMknodWhiteouts_asRoot_isTrue() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Linux.isRoot(), "needs root to create device nodes");
    assertThat(Linux.canMknodWhiteouts()).isTrue();
  }

  private static boolean kernelAtLeast(int major, int minor) {
    String[] v = System.getProperty("os.version").split("[.-]");
    int ma = Integer.parseInt(v[0]);
    return ma > major || (ma == major && Integer.parseInt(v[1]) >= minor);
  }
}
