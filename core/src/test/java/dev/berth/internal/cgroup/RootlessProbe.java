package dev.berth.internal.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link RootlessDelegationTest} as a non-root user inside a delegated cgroup: goes through
 * a container cgroup's life and prints what it saw, one {@code key=value} a line.
 */
public final class RootlessProbe {

  private RootlessProbe() {}

  public static void main(String[] args) throws Exception {
    CgroupHost host = Cgroups.detect();
    System.out.println("canCreate=" + host.canCreate());
    System.out.println("v2Parent=" + host.v2Parent().map(Path::toString).orElse(""));
    try (CgroupFixture fixture = CgroupFixture.inNewTempDir("berth-probe")) {
      ContainerCgroup cgroup = fixture.track(
          ContainerCgroup.create(host, args[0], CgroupLimits.NONE, false));
      Process sleeper = fixture.start(cgroup, "exec sleep 60");
      System.out.println("joined=" + cgroup.pids().equals(java.util.List.of(sleeper.pid())));
      cgroup.freeze();
      System.out.println("frozen=" + cgroup.isFrozen());
      cgroup.thaw();
      cgroup.destroy();
      System.out.println("exit=" + sleeper.waitFor());
      System.out.println("removed=" + cgroup.joinPaths().stream().noneMatch(Files::exists));
    }
  }
}
