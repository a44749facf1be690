package dev.berth.bench;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Container run-to-exit of {@code /bin/true} from a present image, through the public API
 * ({@code image.run("true").waitFor()}), beside {@code runc run} of a bundle of the same image
 * (unpacked by umoci) and the physical floor ({@code unshare} of the same namespaces running
 * the host's /bin/true), measured in the same run. Needs root.
 *
 * <p>Run with {@code scripts/bench run}.
 */
public final class RunBench {
  private RunBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path tmp = Files.createTempDirectory("berth-run-bench");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image busybox = berth.pull("busybox");
      Stats run = measure(runs, () -> {
        try (Container c = busybox.run("true")) {
          if (c.waitFor() != 0) {
            throw new IllegalStateException("true failed");
          }
        }
      });
      Stats runOnly = measureRunOnly(runs, busybox);
      Path bundle = runcBundle(tmp);
      int[] n = {0};
      Stats runc = measure(runs, () -> exec("runc", "--root", tmp.resolve("runc-state").toString(),
          "run", "--bundle", bundle.toString(), "b" + n[0]++));
      Stats floor = measure(runs, () -> exec("unshare", "--mount", "--uts", "--ipc", "--net",
          "--pid", "--fork", "/bin/true"));
      System.out.println("container run-to-exit of /bin/true (image present), " + runs + " runs");
      System.out.println("  berth image.run + waitFor (then remove, untimed) " + runOnly);
      System.out.println("  berth image.run + waitFor + remove (close)       " + run);
      System.out.println("  runc run (bundle from umoci unpack)               " + runc);
      System.out.println("  floor: unshare -m -u -i -n -p -f /bin/true       " + floor);
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /** Median and spread (p10–p90) in milliseconds. */
  record Stats(double median, double p10, double p90) {
    @Override
    public String toString() {
      return String.format("median %6.2f ms  (p10 %.2f, p90 %.2f)", median, p10, p90);
    }
  }

  interface Body {
    void run() throws Exception;
  }

  static Stats measure(int runs, Body body) throws Exception {
    for (int i = 0; i < Math.min(10, runs); i++) {
      body.run(); // warm-up: JIT, page cache
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      body.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    return stats(ms);
  }

  private static Stats measureRunOnly(int runs, Image image) throws Exception {
    List<Container> done = new ArrayList<>();
    double[] ms = new double[runs];
    for (int i = -10; i < runs; i++) {
      long t0 = System.nanoTime();
      Container c = image.run("true");
      c.waitFor();
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      done.add(c);
    }
    done.forEach(Container::close);
    return stats(ms);
  }

  static Stats stats(double[] ms) {
    Arrays.sort(ms);
    int n = ms.length;
    return new Stats(ms[n / 2], ms[n / 10], ms[Math.min(n - 1, n * 9 / 10)]);
  }

  private static Path runcBundle(Path tmp) throws Exception {
    Path bundle = tmp.resolve("bundle");
    exec("umoci", "unpack", "--image",
        dev.berth.testimages.TestImages.layout("busybox") + ":latest", bundle.toString());
    // umoci writes a config.json that runs the image's Cmd with a terminal; run /bin/true
    Path config = bundle.resolve("config.json");
    String json = Files.readString(config)
        .replaceFirst("\"terminal\":\\s*true", "\"terminal\": false")
        .replaceFirst("\"args\":\\s*\\[[^\\]]*\\]", "\"args\": [\"/bin/true\"]");
    Files.writeString(config, json);
    return bundle;
  }

  static void exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue());
    }
  }
}
