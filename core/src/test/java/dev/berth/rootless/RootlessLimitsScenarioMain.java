package dev.berth.rootless;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.ContainerStats;
import dev.berth.HostInfo;
import dev.berth.RunOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Run by {@link RootlessDelegatedCgroupTest} as an unprivileged user whose JVM starts in cgroup
 * v1 cgroups chowned to it: resource limits, stats and cleanup, printed as {@code key<TAB>value}
 * lines. Arguments as {@link RootlessScenarioMain}'s.
 */
public final class RootlessLimitsScenarioMain {
  private RootlessLimitsScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    try (Berth berth = Berth.builder().home(home).registryMirror(args[0]).insecureRegistry(args[0]).build()) {
      HostInfo info = berth.info();
      RootlessScenarioMain.say("limits.possible", info.resourceLimitsPossible() + " " + info.cgroupProblem());
      berth.pull("busybox");
      try (Container c = berth.run("busybox", RunOptions.builder().memory(20L << 20).memorySwap(20L << 20)
          .command("dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1").build())) {
        RootlessScenarioMain.say("memory.exit", c.waitFor() + " " + c.inspect().oomKilled());
      } catch (RuntimeException e) {
        RootlessScenarioMain.say("memory.exit", "[failed: " + e.getMessage() + "]");
      }
      try (Container c = berth.run("busybox", RunOptions.builder().pidsLimit(10).command("sh", "-c",
          "i=0; while [ $i -lt 40 ]; do sleep 5 & i=$((i+1)); done; echo all forked").build())) {
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        RootlessScenarioMain.say("pids.result", c.waitFor() + " " + out + " " + err.lines().findFirst().orElse(""));
      } catch (RuntimeException e) {
        RootlessScenarioMain.say("pids.result", "[failed: " + e.getMessage() + "]");
      }
      try (Container c = berth.run("busybox", RunOptions.builder().memory(64L << 20).cpus(0.5)
          .command("sh", "-c", "while :; do :; done").build())) {
        Thread.sleep(500);
        ContainerStats s = c.stats();
        RootlessScenarioMain.say("stats", s.memoryLimitBytes() + " " + (s.memoryUsageBytes() > 0) + " " + s.pids()
            + " " + s.cpuTime().isNegative());
        c.pause();
        RootlessScenarioMain.say("pause", c.inspect().state().name());
        c.unpause();
        c.kill();
        c.waitFor();
      } catch (RuntimeException e) {
        RootlessScenarioMain.say("stats", "[failed: " + e.getMessage() + "]");
      }
    }
    // after the engine's close: its spare helpers and their cgroup dirs are gone too
    RootlessScenarioMain.say("cgroups.left", String.join(",", leftCgroups()));
  }

  /** Container cgroups still under this JVM's own cgroups' berth dirs. */
  private static List<String> leftCgroups() throws Exception {
    List<String> left = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
      String[] f = line.split(":", 3);
      for (String controller : f[1].split(",")) {
        Path berth = Path.of("/sys/fs/cgroup", controller).resolve(f[2].substring(1)).resolve("berth");
        if (!controller.isEmpty() && Files.isDirectory(berth)) {
          try (Stream<Path> children = Files.list(berth)) {
            children.filter(Files::isDirectory).forEach(p -> left.add(p.toString()));
          }
        }
      }
    }
    return left;
  }
}
