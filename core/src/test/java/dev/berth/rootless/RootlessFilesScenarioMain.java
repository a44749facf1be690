package dev.berth.rootless;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Run by {@link RootlessVolumesAndCopiesTest} in a child JVM as an unprivileged user: volumes
 * filled from the image, and copies in and out of stopped containers, printed as {@code
 * key<TAB>value} lines. Arguments as {@link RootlessScenarioMain}'s.
 */
public final class RootlessFilesScenarioMain {
  private RootlessFilesScenarioMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[1]);
    try (Berth berth = Berth.builder().home(home).registryMirror(args[0]).insecureRegistry(args[0]).build()) {
      RootlessScenarioMain.say("info.rootfs", berth.info().rootfs().name());
      berth.pull("busybox");
      berth.pull("node");
      volumes(berth, home);
      copies(berth, home);
      privileged(berth);
      limitsWithoutDelegation(berth);
    }
  }

  /** This JVM's cgroups are not delegated: a limit fails saying how to delegate, unless best effort. */
  private static void limitsWithoutDelegation(Berth berth) throws Exception {
    RootlessScenarioMain.say("limits.refused", run(berth, "busybox", RunOptions.builder().memory(64L << 20), "echo ran"));
    RootlessScenarioMain.say("limits.bestEffort", run(berth, "busybox",
        RunOptions.builder().memory(64L << 20).limitsBestEffort(true), "echo ran"));
  }

  /** privileged in a user namespace: the host's device nodes are bound (mknod is refused there). */
  private static void privileged(Berth berth) throws Exception {
    String device = java.util.stream.Stream.of("/dev/loop-control", "/dev/vda", "/dev/sda", "/dev/kvm")
        .filter(d -> Files.exists(Path.of(d), LinkOption.NOFOLLOW_LINKS)).findFirst().orElse("/dev/null");
    RootlessScenarioMain.say("privileged.device", device + " " + run(berth, "busybox", RunOptions.builder().privileged(true),
        "stat -c '%F %t:%T' " + device + " && readlink /dev/ptmx"));
    RootlessScenarioMain.say("unprivileged.device", device + " " + run(berth, "busybox", RunOptions.builder(),
        "test -e " + device + " && echo present || echo absent"));
  }

  private static void volumes(Berth berth, Path home) throws Exception {
    // busybox: one layer; /home/app is 1000:1000 0755
    RootlessScenarioMain.say("volume.first", run(berth, "busybox", RunOptions.builder().volume("appdata", "/home/app"),
        "stat -c '%u:%g %a' /home/app && echo kept > /home/app/note && chown 1000:1000 /home/app/note"));
    RootlessScenarioMain.say("volume.onHost", owner(home.resolve("volumes/appdata/_data")));
    RootlessScenarioMain.say("volume.second", run(berth, "busybox", RunOptions.builder().volume("appdata", "/home/app"),
        "stat -c '%u:%g %a' /home/app /home/app/note && cat /home/app/note"));
    // node: several layers (an overlay); /var/mail is root:mail 2775, /etc/shadow-like files below /var
    RootlessScenarioMain.say("volume.node", run(berth, "node", RunOptions.builder().volume("/var"),
        "stat -c '%U:%G %a' /var/mail && ls /var/lib/dpkg/status"));
    RootlessScenarioMain.say("volume.nodeNamed", run(berth, "node", RunOptions.builder().volume("nodevar", "/var"),
        "touch /var/mail/letter && chown 8:8 /var/mail/letter && echo ok"));
    RootlessScenarioMain.say("volume.nodeNamedAgain", run(berth, "busybox", RunOptions.builder().volume("nodevar", "/data"),
        "stat -c '%u:%g %a' /data/mail /data/mail/letter"));
  }

  private static void copies(Berth berth, Path home) throws Exception {
    Path host = Files.createTempDirectory(home, "copies-"); // removed with the home by the test
    Path in = Files.writeString(host.resolve("in.txt"), "from the host\n");
    Files.createDirectory(host.resolve("target"));
    try (Container c = berth.run("busybox", RunOptions.builder().command("sh", "-c",
        "echo made inside > /made && ln -s " + host + " /escape && ln -s / /root-link && mkdir -p /home/app/sub").build())) {
      c.waitFor();
      RootlessScenarioMain.say("copy.state", c.inspect().state().name());
      c.copyFrom("/made", host.resolve("out.txt"));
      RootlessScenarioMain.say("copy.from", Files.readString(host.resolve("out.txt")).strip());
      c.copyTo(in, "/tmp/");
      c.copyFrom("/tmp/in.txt", host.resolve("back.txt"));
      RootlessScenarioMain.say("copy.roundTrip", Files.readString(host.resolve("back.txt")).strip());
      // where the container's files land: the overlay's upper dir, or the copied root itself
      String writes = berth.info().rootfs() == dev.berth.HostInfo.RootfsMode.COPY ? "root/" : "upper/";
      RootlessScenarioMain.say("copy.inUpper", Boolean.toString(Files.exists(
          berth.home().resolve("containers").resolve(c.id()).resolve(writes + "tmp/in.txt"), LinkOption.NOFOLLOW_LINKS)));
      // the symlink /escape points at the host directory: the copy must stay in the container
      RootlessScenarioMain.say("copy.escapeTo", attempt(() -> c.copyTo(in, "/escape/target/escaped.txt")));
      RootlessScenarioMain.say("copy.escapeToHost", Boolean.toString(Files.exists(host.resolve("target/escaped.txt"))));
      RootlessScenarioMain.say("copy.dotDotTo", attempt(() -> c.copyTo(in, "/../../../../" + host + "/target/dotdot.txt")));
      RootlessScenarioMain.say("copy.dotDotToHost", Boolean.toString(Files.exists(host.resolve("target/dotdot.txt"))));
      RootlessScenarioMain.say("copy.escapeFrom", attempt(() -> c.copyFrom("/root-link" + host + "/in.txt", host.resolve("leak.txt"))));
      c.copyTo(in, "/root-link/tmp/via-link.txt");
      c.copyFrom("/tmp/via-link.txt", host.resolve("via-link.txt"));
      RootlessScenarioMain.say("copy.viaLinkStaysInside", Files.readString(host.resolve("via-link.txt")).strip());
      RootlessScenarioMain.say("copy.leftMounted", Boolean.toString(Files.exists(
          berth.home().resolve("containers").resolve(c.id()).resolve("copy-view"))));
    }
  }

  static String attempt(Runnable r) {
    try {
      r.run();
      return "done";
    } catch (RuntimeException e) {
      return "refused: " + e.getMessage();
    }
  }

  static String run(Berth berth, String image, RunOptionsBuilder o, String script) throws Exception {
    try (Container c = berth.run(image, o.command("sh", "-c", script).build())) {
      String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int exit = c.waitFor();
      return out + (exit != 0 ? " [exit " + exit + ": " + err + "]" : "");
    } catch (RuntimeException e) {
      return "[failed: " + e.getMessage() + "]";
    }
  }

  private static String owner(Path p) {
    try {
      return Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":" + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    } catch (Exception e) {
      return "missing " + p + ": " + e;
    }
  }
}
