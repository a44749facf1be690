package dev.berth.rootless;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.HostInfo;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.IdMapping;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.runtime.UserNamespaces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Run by {@link RootlessEndToEndTest} in a child JVM as an unprivileged user: exercises Berth
 * and prints {@code key<TAB>value} lines (newlines in values as {@code \n}) for the test to check.
 * Arguments: registry host:port, BERTH_HOME, a root-owned host directory.
 */
public final class RootlessScenarioMain {
  private RootlessScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    Path rootOwned = Path.of(args[2]);
    try (Berth berth = Berth.builder().home(home).registryMirror(args[0]).insecureRegistry(args[0]).build()) {
      HostInfo info = berth.info();
      say("info", info.toString());
      say("info.userNamespace", info.userNamespace().name());
      say("info.rootfs", info.rootfs().name());
      berth.pull("busybox");
      berth.pull("node");
      say("busybox.id", run(berth, "busybox", null, c -> "", "id"));
      say("busybox.echo", run(berth, "busybox", null, c -> "", "echo", "hello from rootless"));
      say("busybox.uidMap", run(berth, "busybox", null, c -> "", "cat", "/proc/self/uid_map"));
      say("busybox.appHome", run(berth, "busybox", null, c -> "", "stat", "-c", "%u:%g", "/home/app"));
      say("busybox.appHomeOnHost", layerOwner(home, "home/app"));
      say("busybox.procSys", run(berth, "busybox", null, c -> "", "sh", "-c",
          "echo 1 > /proc/sys/kernel/sysrq && echo written || echo refused"));
      say("busybox.mount", run(berth, "busybox", null, c -> "", "sh", "-c",
          "mount -t tmpfs none /mnt 2>/dev/null && echo mounted || echo refused"));
      // where the container's writes land: the overlay's upper dir, or the copied root itself
      String writes = info.rootfs() == HostInfo.RootfsMode.COPY ? "root/" : "upper/";
      say("busybox.rootUpperOwner", run(berth, "busybox", null, c -> owner(c, writes + "made-by-root"), "touch", "/made-by-root"));
      say("busybox.appUpperOwner", run(berth, "busybox", "1000", c -> owner(c, writes + "tmp/made-by-app"), "touch", "/tmp/made-by-app"));
      say("node.version", run(berth, "node", null, c -> "", "node", "--version"));
      say("node.shadow", run(berth, "node", null, c -> "", "stat", "-c", "%U:%G %a", "/etc/shadow"));
      say("busybox.startAgain", startedAgain(berth));
      say("busybox.autoRemove", autoRemoved(berth, home, info));
      say("containers.left", Long.toString(countContainers(home)));
      bindChecks(home, rootOwned);
    }
  }

  /** Runs, waits, closes (removes) the container; returns its output and what inspect found before removal. */
  private static String run(Berth berth, String image, String user, Function<Path, String> inspect, String... cmd)
      throws Exception {
    RunOptionsBuilder o = RunOptions.builder().command(cmd);
    if (user != null) {
      o.user(user);
    }
    Container started;
    try {
      started = berth.run(image, o.build());
    } catch (RuntimeException e) {
      return "[failed: " + e.getMessage() + "]";
    }
    try (Container c = started) {
      String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int exit = c.waitFor();
      String extra = inspect.apply(berth.home().resolve("containers").resolve(c.id()));
      say(image + ".inspect", c.inspect().userNamespace() + " " + c.inspect().rootfs());
      return out + (exit != 0 ? " [exit " + exit + ": " + err + "]" : "") + extra;
    }
  }

  /**
   * Runs a container twice (create, start, start again): the second run sees what the first
   * changed in a file of the image (a copy mode that copied the layers again would undo it).
   */
  private static String startedAgain(Berth berth) throws Exception {
    try (Container c = berth.create("busybox", RunOptions.builder()
        .command("sh", "-c", "echo '#run' >> /etc/passwd; grep -c '#run' /etc/passwd").build())) {
      c.start();
      c.waitFor();
      c.start();
      c.waitFor();
      return c.logs().strip().replaceAll("\\s+", " ");
    } catch (RuntimeException e) {
      return "[failed: " + e.getMessage() + "]";
    }
  }

  /**
   * --rm removes the container directory from the monitor, even what the container made as a
   * subordinate id (which the user itself may not remove).
   */
  private static String autoRemoved(Berth berth, Path home, HostInfo info) throws Exception {
    // only the full range has a user 1000
    String user = info.userNamespace() == HostInfo.UserNamespace.FULL_RANGE ? "1000" : "0";
    try (Container c = berth.run("busybox", RunOptions.builder().user(user).autoRemove(true)
        .command("touch", "/tmp/made-by-app").build())) {
      c.waitFor();
      Path dir = home.resolve("containers").resolve(c.id());
      for (int i = 0; i < 200 && Files.exists(dir); i++) {
        Thread.sleep(50);
      }
      return Files.exists(dir) ? "left " + dir : "removed";
    }
  }

  private static String owner(Path containerDir, String rel) {
    try {
      Path p = containerDir.resolve(rel);
      return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return "missing " + rel + ": " + e;
    }
  }

  /** The owner on the host of a path in the first stored layer that has it. */
  private static String layerOwner(Path home, String rel) throws IOException {
    try (Stream<Path> layers = Files.list(home.resolve("layers"))) {
      return layers.map(l -> l.resolve("diff").resolve(rel)).filter(Files::exists).findFirst()
          .map(p -> owner(p.getParent(), p.getFileName().toString())).orElse("no layer has " + rel);
    }
  }

  private static long countContainers(Path home) throws IOException {
    try (Stream<Path> s = Files.list(home.resolve("containers"))) {
      return s.count();
    }
  }

  /** Binds through the runtime directly: the public API has no mounts yet. */
  private static void bindChecks(Path home, Path rootOwned) throws Exception {
    Path busybox;
    try (Stream<Path> layers = Files.list(home.resolve("layers"))) {
      busybox = layers.map(l -> l.resolve("diff")).filter(d -> Files.exists(d.resolve("bin/busybox"))).findFirst().orElseThrow();
    }
    Path mine = Files.createDirectories(home.resolve("bind-probe"));
    IdMapping ids = UserNamespaces.detect(System.getenv());
    HelperLauncher launcher = new HelperLauncher(HelperBinary.defaultCache().path(), Duration.ofSeconds(30));
    say("bind.rootOwnedRw", runSpec(launcher, home, busybox, ids, RuntimeSpec.Mount.bind(rootOwned, "/host", false),
        "touch /host/x 2>/dev/null && echo written || echo refused"));
    say("bind.mineRo", runSpec(launcher, home, busybox, ids, RuntimeSpec.Mount.bind(mine, "/host", true),
        "touch /host/x 2>/dev/null && echo written || echo refused"));
  }

  private static String runSpec(HelperLauncher launcher, Path home, Path lower, IdMapping ids, RuntimeSpec.Mount mount,
      String script) throws Exception {
    Path dir = Files.createTempDirectory(home, "bind-");
    RuntimeSpec spec = RuntimeSpec.builder(new RuntimeSpec.Overlay(List.of(lower), Files.createDirectory(dir.resolve("upper")),
            Files.createDirectory(dir.resolve("work")), true), "sh", "-c", script)
        .env("PATH=/bin").idMapping(ids).mount(mount).build();
    LaunchedContainer c = launcher.launch(spec, dir);
    String out = new String(c.stdout().readAllBytes(), StandardCharsets.UTF_8).strip();
    c.waitFor();
    return out;
  }

  /** Prints {@code key<TAB>value} on one line, for {@link #parse}. */
  static void say(String key, String value) {
    System.out.println(key + "\t" + value.replace("\\", "\\\\").replace("\n", "\\n"));
    System.out.flush();
  }

  static Map<String, String> parse(String output) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    output.lines().filter(l -> l.contains("\t")).forEach(l -> {
      String[] kv = l.split("\t", 2);
      m.put(kv[0], kv[1].replace("\\n", "\n").replace("\\\\", "\\"));
    });
    return m;
  }
}
