package dev.berth.rootless;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run by {@link RootlessSingleIdFilesTest} as a user without subordinate ids: volumes filled from
 * the image and copies of a stopped container, printed as {@code key<TAB>value} lines.
 */
public final class RootlessSingleIdFilesScenarioMain {
  private RootlessSingleIdFilesScenarioMain() {}

  public static void main(String[] args) throws Exception {
    try (Berth berth = Berth.builder().home(Path.of(args[1])).registryMirror(args[0]).insecureRegistry(args[0]).build()) {
      RootlessScenarioMain.say("info.userNamespace", berth.info().userNamespace().name());
      berth.pull("busybox");
      berth.pull("node");
      RootlessScenarioMain.say("volume.first", RootlessFilesScenarioMain.run(berth, "busybox",
          RunOptions.builder().volume("appdata", "/home/app"), "stat -c '%u:%g %a' /home/app && echo kept > /home/app/note"));
      RootlessScenarioMain.say("volume.second", RootlessFilesScenarioMain.run(berth, "busybox",
          RunOptions.builder().volume("appdata", "/home/app"), "cat /home/app/note"));
      RootlessScenarioMain.say("volume.node", RootlessFilesScenarioMain.run(berth, "node", RunOptions.builder().volume("/var"),
          "stat -c '%a' /var/mail && ls /var/lib/dpkg/status"));
      Path host = Files.createTempDirectory(Path.of(args[1]), "copies-"); // removed with the home by the test
      Path in = Files.writeString(host.resolve("in.txt"), "from the host\n");
      try (Container c = berth.run("busybox", RunOptions.builder().command("sh", "-c",
          "echo made inside > /made && ln -s / /root-link").build())) {
        c.waitFor();
        c.copyFrom("/made", host.resolve("out.txt"));
        RootlessScenarioMain.say("copy.from", Files.readString(host.resolve("out.txt")).strip());
        c.copyTo(in, "/root-link/tmp/");
        c.copyFrom("/tmp/in.txt", host.resolve("back.txt"));
        RootlessScenarioMain.say("copy.roundTrip", Files.readString(host.resolve("back.txt")).strip());
        RootlessScenarioMain.say("copy.dotDotTo", RootlessFilesScenarioMain.attempt(
            () -> c.copyTo(in, "/../../../../" + host + "/dotdot.txt")));
        RootlessScenarioMain.say("copy.dotDotToHost", Boolean.toString(Files.exists(host.resolve("dotdot.txt"))));
      }
    }
  }
}
