package dev.berth.internal.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.UnsupportedEnvironmentException;
import org.junit.jupiter.api.Test;

/** A host where this process may not create cgroups: a non-root user on cgroup v1. */
class ContainerCgroupWithoutCgroupsTest {

  private static final CgroupHost ROOTLESS_V1 = Cgroups.detect(
      "26 24 0:23 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "", false, p -> true);

  private static final CgroupLimits MEMORY = CgroupLimits.builder().memory(64L << 20).build();

  @Test
  void create_limitsWithoutCgroupAccess_throwsUnsupportedSayingWhatToDo() {
    assertThatThrownBy(() -> ContainerCgroup.create(ROOTLESS_V1, "c1", MEMORY, false))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("container c1")
        .hasMessageContaining("memory limit 67108864")
        .hasMessageContaining("run as root");
  }

  @Test
  void create_limitsWithoutCgroupAccess_bestEffort_listsThemAsNotApplied() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", MEMORY, true);

    assertThat(cgroup.joinPaths()).isEmpty();
    assertThat(cgroup.notApplied()).singleElement().asString().startsWith("memory limit");
  }

  @Test
  void create_noLimitsWithoutCgroupAccess_givesAHandleWithNothingToJoin() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", CgroupLimits.NONE, false);

    assertThat(cgroup.joinPaths()).isEmpty();
    assertThat(cgroup.notApplied()).isEmpty();
  }

  @Test
  void killAll_withoutACgroup_throwsUnsupported() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", CgroupLimits.NONE, false);

    assertThatThrownBy(() -> cgroup.killAll(15))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("has no cgroup");
  }

  @Test
  void killAll_badSignalNumber_isRefused() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", CgroupLimits.NONE, false);

    assertThatThrownBy(() -> cgroup.killAll(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signal 0 is not a signal number");
  }

  @Test
  void create_idWithSlash_isRefused() {
    assertThatThrownBy(() -> ContainerCgroup.create(ROOTLESS_V1, "../x", MEMORY, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("container id '../x' cannot name a cgroup");
  }

  @Test
  void freeze_withoutACgroup_throwsUnsupported() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", CgroupLimits.NONE, false);

    assertThatThrownBy(cgroup::freeze)
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("cannot be frozen");
  }

  @Test
  void destroy_withoutACgroup_doesNothing() {
    ContainerCgroup cgroup = ContainerCgroup.create(ROOTLESS_V1, "c1", CgroupLimits.NONE, false);

    cgroup.destroy();

    assertThat(cgroup.pids()).isEmpty();
  }
}
