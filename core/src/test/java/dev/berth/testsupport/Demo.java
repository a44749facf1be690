package dev.berth.testsupport;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.PullProgress;
import dev.berth.testing.TestRegistry;
import java.nio.file.Path;

/**
 * The main job, end to end (run by {@code scripts/demo}): a local registry serving the test
 * images as a docker.io mirror, then {@code pull node}, {@code run node --version}, a script in
 * the container, and {@code ps -a} — all through the public API.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : "/tmp/berth-demo");
    System.out.println("Starting a local registry as a docker.io mirror (test images from "
        + "src-test-images)...");
    TestRegistry reg = Registries.plainWith("node");
    try (Berth berth = Berth.builder().home(home).registryMirror(reg.host()).build()) {
      System.out.println("$ pull node");
      Image node = berth.pull("node", p -> {
        if (p.status() != PullProgress.Status.DOWNLOADING) {
          System.out.println(p);
        }
      });
      System.out.println(node);
      System.out.println(node.inspect());
      System.out.println("$ run node node --version");
      try (Container c = node.run("node", "--version")) {
        System.out.print(new String(c.getInputStream().readAllBytes()));
        System.out.println("exit code " + c.waitFor());
      }
      System.out.println("$ run node node -e ...");
      Container c = node.run("node", "-e",
          "console.log('hello from', require('os').hostname(), 'pid', process.pid)");
      System.out.print(new String(c.getInputStream().readAllBytes()));
      c.waitFor();
      System.out.println("$ ps -a");
      System.out.print(berth.containers(true));
      c.close();
    }
  }
}
