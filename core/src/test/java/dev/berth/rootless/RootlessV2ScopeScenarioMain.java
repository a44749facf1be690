package dev.berth.rootless;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.HostInfo;
import dev.berth.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link RootlessDelegatedV2CgroupTest} as an unprivileged user whose JVM starts in a
 * cgroup v2 cgroup chowned to it (as systemd's Delegate=yes scope would be): where the JVM and
 * its containers end up, printed as {@code key<TAB>value} lines.
 */
public final class RootlessV2ScopeScenarioMain {
  private RootlessV2ScopeScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    try (Berth berth = Berth.builder().home(home).registryMirror(args[0]).insecureRegistry(args[0]).build()) {
      HostInfo info = berth.info();
      RootlessScenarioMain.say("limits.possible", info.resourceLimitsPossible() + " " + info.cgroupProblem());
      String before = v2(Path.of("/proc/self/cgroup"));
      RootlessScenarioMain.say("jvm.before", before);
      berth.pull("busybox");
      try (Container c = berth.run("busybox", RunOptions.builder().command("sleep", "5").build())) {
        RootlessScenarioMain.say("container.cgroup", v2(Path.of("/proc", Long.toString(c.inspect().pid()), "cgroup")));
        c.kill();
        c.waitFor();
      } catch (RuntimeException e) {
        RootlessScenarioMain.say("container.cgroup", "[failed: " + e.getMessage() + "]");
      }
      RootlessScenarioMain.say("jvm.after", v2(Path.of("/proc/self/cgroup")));
    }
  }

  private static String v2(Path procCgroup) throws Exception {
    List<String> lines = Files.readAllLines(procCgroup);
    return lines.stream().filter(l -> l.startsWith("0::")).findFirst().orElse("none").substring(3);
  }
}
