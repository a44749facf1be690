package dev.berth.internal.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.cgroup.CgroupHost.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection from mountinfo and /proc/self/cgroup texts; v2 controller lists from plain files. */
class CgroupsDetectTest {

  @TempDir Path tmp;

  private static final Predicate<Path> ALL_WRITABLE = p -> true;

  /** systemd's hybrid layout, as on Debian 10/11 hosts and this project's build VM. */
  private static final String HYBRID = """
      31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
      32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
      33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
      35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
      37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
      39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
      40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
      41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
      """;

  private static final String V1_COMOUNTED = """
      25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup rw,cpu,cpuacct
      26 24 0:23 / /sys/fs/cgroup/memory rw,nosuid shared:10 - cgroup cgroup rw,memory
      """;

  private String v2At(Path mount) {
    return "30 24 0:26 / " + mount + " rw,nosuid,nodev shared:4 - cgroup2 cgroup2"
        + " rw,nsdelegate,memory_recursiveprot\n";
  }

  @Test
  void detect_hybridAsRoot_usesV1ControllersAndTheUnifiedMount() {
    CgroupHost host = Cgroups.detect(HYBRID, "0::/\n", true, ALL_WRITABLE);

    assertThat(host.version()).isEqualTo(Version.HYBRID);
    assertThat(host.v1Mounts()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory"))
        .containsEntry("pids", Path.of("/sys/fs/cgroup/pids"))
        .doesNotContainKey("name=systemd");
    assertThat(host.unifiedMount()).contains(Path.of("/sys/fs/cgroup/unified"));
    assertThat(host.v2Parent()).contains(Path.of("/sys/fs/cgroup/unified/berth"));
    assertThat(host.canCreate()).isTrue();
  }

  @Test
  void layout_hybrid_hasOneDirPerUsedV1ControllerThenTheUnifiedOne() {
    CgroupHost host = Cgroups.detect(HYBRID, "0::/\n", true, ALL_WRITABLE);

    assertThat(host.layout("c1")).extracting(CgroupDir::path).containsExactly(
        Path.of("/sys/fs/cgroup/cpu/berth/c1"), Path.of("/sys/fs/cgroup/cpuacct/berth/c1"),
        Path.of("/sys/fs/cgroup/freezer/berth/c1"), Path.of("/sys/fs/cgroup/memory/berth/c1"),
        Path.of("/sys/fs/cgroup/pids/berth/c1"), Path.of("/sys/fs/cgroup/unified/berth/c1"));
  }

  @Test
  void layout_coMountedCpuAndCpuacct_shareOneDir() {
    CgroupHost host = Cgroups.detect(V1_COMOUNTED, "", true, ALL_WRITABLE);

    assertThat(host.version()).isEqualTo(Version.V1);
    assertThat(host.layout("c1")).containsExactly(
        new CgroupDir(Path.of("/sys/fs/cgroup/cpu,cpuacct/berth/c1"), false,
            Set.of("cpu", "cpuacct")),
        new CgroupDir(Path.of("/sys/fs/cgroup/memory/berth/c1"), false,
            Set.of("memory")));
  }

  @Test
  void detect_pureV2AsRoot_putsBerthUnderTheMountWithItsControllers() throws Exception {
    Files.writeString(tmp.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids\n");

    CgroupHost host = Cgroups.detect(v2At(tmp), "0::/init.scope\n", true, ALL_WRITABLE);

    assertThat(host.version()).isEqualTo(Version.V2);
    assertThat(host.v2Parent()).contains(tmp.resolve("berth"));
    assertThat(host.controllers()).contains("cpu", "memory", "pids", "io");
    assertThat(host.v2ControllersToEnable()).containsExactlyInAnyOrder("cpu", "memory", "pids");
  }

  @Test
  void detect_rootlessWithSystemdDelegation_usesTheDelegatedAncestor() throws Exception {
    Path service = tmp.resolve("user.slice/user-1000.slice/user@1000.service");
    Files.createDirectories(service.resolve("app.slice"));
    Files.writeString(service.resolve("app.slice/cgroup.controllers"), "cpu memory pids\n");

    CgroupHost host = Cgroups.detect(v2At(tmp),
        "0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-term.scope\n", false,
        p -> p.startsWith(service));

    assertThat(host.v2Parent()).contains(service.resolve("app.slice/berth"));
    assertThat(host.v2Controllers()).containsExactlyInAnyOrder("cpu", "memory", "pids");
    assertThat(host.canCreate()).isTrue();
  }

  @Test
  void detect_rootlessInItsOwnDelegatedScope_usesItsOwnCgroup() throws Exception {
    Path scope = tmp.resolve("user.slice/user-1000.slice/user@1000.service/app.slice/run-u7.scope");
    Files.createDirectories(scope);
    Files.writeString(scope.resolve("cgroup.controllers"), "memory pids\n");

    CgroupHost host = Cgroups.detect(v2At(tmp), "0::/user.slice/user-1000.slice/user@1000.service/app.slice/run-u7.scope\n",
        false, p -> p.startsWith(scope));

    assertThat(host.v2Parent()).contains(scope.resolve("berth"));
    assertThat(host.canCreate()).isTrue();
  }

  @Test
  void detect_rootlessInASessionScope_cannotCreateAndSaysHowToDelegate() {
    CgroupHost host = Cgroups.detect(v2At(tmp),
        "0::/user.slice/user-1000.slice/session-2.scope\n", false, p -> false);

    assertThat(host.canCreate()).isFalse();
    assertThat(host.v2Parent()).isEmpty();
    assertThat(host.problem()).contains("not root", "session-2.scope", "Delegate=yes");
  }

  @Test
  void detect_rootlessOnV1_ownCgroupsNotWritable_cannotCreateAndSaysHowToDelegate() {
    CgroupHost host = Cgroups.detect(V1_COMOUNTED, "4:memory:/user.slice\n2:cpu,cpuacct:/\n", false, p -> false);

    assertThat(host.canCreate()).isFalse();
    assertThat(host.problem()).contains("not root", "chown", "cgroup.procs", "cgroup v2", "Delegate=yes");
  }

  @Test
  void detect_rootlessOnV1_writableOwnCgroups_holdTheContainers() {
    String own = "4:memory:/deleg/1\n2:cpu,cpuacct:/deleg/1\n1:name=systemd:/\n0::/\n";
    CgroupHost host = Cgroups.detect(V1_COMOUNTED, own, false, p -> p.toString().contains("/deleg/1"));

    assertThat(host.canCreate()).isTrue();
    assertThat(host.v1Parents()).containsEntry("memory", Path.of("/sys/fs/cgroup/memory/deleg/1/berth"))
        .containsEntry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct/deleg/1/berth"));
    assertThat(host.layout("c1")).extracting(CgroupDir::path).containsExactly(
        Path.of("/sys/fs/cgroup/cpu,cpuacct/deleg/1/berth/c1"), Path.of("/sys/fs/cgroup/memory/deleg/1/berth/c1"));
  }

  @Test
  void detect_rootlessOnV1_onlyMemoryDelegated_offersOnlyMemory() {
    String own = "4:memory:/deleg/1\n2:cpu,cpuacct:/\n";
    CgroupHost host = Cgroups.detect(V1_COMOUNTED, own, false, p -> p.toString().contains("/deleg/1"));

    assertThat(host.controllers()).containsExactly("memory");
    assertThatThrownBy(() -> ContainerCgroup.create(host, "c1", CgroupLimits.builder().cpus(1).build(), false))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("own cgroup of the cpu controller")
        .hasMessageContaining("chown");
  }

  @Test
  void detect_rootWithReadOnlyCgroupfs_cannotCreateAndSaysWhy() {
    CgroupHost host = Cgroups.detect(HYBRID, "0::/\n", true, p -> false);

    assertThat(host.canCreate()).isFalse();
    assertThat(host.problem()).contains("read-only", "/sys/fs/cgroup/memory");
  }

  @Test
  void detect_noCgroupMounts_isVersionNone() {
    CgroupHost host = Cgroups.detect(
        "22 1 0:21 / /proc rw - proc proc rw\n", "", true, ALL_WRITABLE);

    assertThat(host.version()).isEqualTo(Version.NONE);
    assertThat(host.canCreate()).isFalse();
    assertThat(host.problem()).contains("no cgroup file system is mounted");
  }

  @Test
  void detect_mountPointWithEscapedSpace_isUnescaped() {
    CgroupHost host = Cgroups.detect(
        "26 24 0:23 / /mnt/my\\040cgroups rw - cgroup cgroup rw,memory\n", "", true,
        ALL_WRITABLE);

    assertThat(host.v1Mounts()).containsEntry("memory", Path.of("/mnt/my cgroups"));
  }

  @Test
  void ownV2Path_readsTheUnifiedLine() {
    assertThat(Cgroups.ownV2Path("4:memory:/x\n0::/user.slice/a.scope\n"))
        .isEqualTo("/user.slice/a.scope");
  }

  @Test
  void withoutUnified_and_unifiedOnly_splitAHybridHost() {
    CgroupHost host = Cgroups.detect(HYBRID, "0::/\n", true, ALL_WRITABLE);

    assertThat(host.withoutUnified().v2Parent()).isEmpty();
    assertThat(host.withoutUnified().layout("c")).noneMatch(CgroupDir::unified);
    assertThat(host.unifiedOnly().layout("c")).singleElement()
        .extracting(CgroupDir::path).isEqualTo(Path.of("/sys/fs/cgroup/unified/berth/c"));
    assertThat(host.unifiedOnly().version()).isEqualTo(Version.V2);
    assertThat(host.unifiedOnly().v1Mounts()).isEmpty();
  }
}
