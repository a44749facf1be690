package dev.berth.internal.cgroup;


/**
 * Run by {@link CgroupRemoveLocaleTest} in a JVM whose messages are German: removes a container's
 * cgroup dirs while its last process is being killed (rmdir says EBUSY until it has left) and
 * prints {@code removed=true} once they are gone, or the failure.
 */
public final class CgroupRemoveInLocaleMain {
  private CgroupRemoveInLocaleMain() {}

  public static void main(String[] args) throws Exception {
    CgroupHost host = Cgroups.detect();
    try (CgroupFixture fixture = CgroupFixture.inNewTempDir("berth-locale")) {
      ContainerCgroup cgroup = fixture.track(ContainerCgroup.create(host, args[0], CgroupLimits.NONE, false));
      Process sleeper = fixture.start(cgroup, "exec sleep 60");
      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        sleeper.destroyForcibly();
      });
      killer.start();
      try {
        for (CgroupDir dir : host.layout(args[0])) {
          dir.remove(10_000);
        }
        System.out.println("removed=" + host.layout(args[0]).stream().noneMatch(CgroupDir::exists));
      } catch (RuntimeException e) {
        System.out.println("failed=" + e.getMessage());
      }
      killer.join();
    }
  }
}
