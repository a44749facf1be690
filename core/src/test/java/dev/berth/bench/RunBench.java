package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.measure;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.bench.Timing.Stats;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 1: container run-to-exit of {@code /bin/true} from a present image, through the public API
 * ({@code image.run("true").waitFor()}), beside the {@code berth} CLI (when built), {@code runc
 * run} of a bundle of the same image (unpacked by umoci), {@code podman run --rm} of the same
 * image from the test registry and the physical floor ({@code unshare} of the same namespaces
 * running the host's /bin/true), measured in the same run. Back to back (throughput: a start
 * may queue behind the previous one's background work, such as the engine's next spare helper
 * joining its cgroups) and 100 ms apart (the latency a test suite or an application sees), each
 * beside runc measured the same way. Needs root.
 *
 * <p>Run with {@code scripts/bench run}.
 */
public final class RunBench {
  private static final Path CLI = Path.of("examples/bin/berth");
  /** Idle time before each run of the spaced rows: the next start is not queued behind the last. */
  private static final long SPACED_MS = 100;

  private RunBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "brb");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      Image busybox = berth.pull("busybox");
      System.out.println("1. container run-to-exit of /bin/true (image present), " + runs + " runs");
      row("Berth in-JVM: image.run(\"true\") + waitFor + close", measure(5, runs, () -> {
        try (Container c = busybox.run("true")) {
          if (c.waitFor() != 0) {
            throw new IllegalStateException("true failed");
          }
        }
      }));
      row("Berth in-JVM: image.run(\"true\") + waitFor (remove untimed)", runOnly(runs, busybox));
      List<Container> spaced = new ArrayList<>();
      row("Berth in-JVM: run + waitFor, 100 ms apart (remove untimed)", measure(5, runs, SPACED_MS,
          () -> runKeeping(busybox, spaced)));
      spaced.forEach(Container::close);
      row("Berth CLI: berth run --rm busybox true", cli(runs, berth.home()));
      Path bundle = runcBundle(tmp);
      int[] n = {0};
      row("runc run (bundle from umoci unpack)", measure(5, runs, () -> exec("runc", "--root",
          tmp.resolve("runc-state").toString(), "run", "--bundle", bundle.toString(), "b" + n[0]++)));
      row("runc run, 100 ms apart", measure(5, runs, SPACED_MS, () -> exec("runc", "--root",
          tmp.resolve("runc-state").toString(), "run", "--bundle", bundle.toString(), "b" + n[0]++)));
      row("podman run --rm (runc, cgroupfs)", podmanRun(runs, podman, reg.host() + "/busybox:latest"));
      row("floor: unshare -m -u -i -n -p -f /bin/true", measure(5, runs, () -> exec("unshare",
          "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "/bin/true")));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /** Runs true and waits; the container is kept for {@link #closeAll} (untimed). */
  private static void runKeeping(Image image, List<Container> keep) throws Exception {
    Container c = image.run("true");
    keep.add(c);
    if (c.waitFor() != 0) {
      throw new IllegalStateException("true failed");
    }
  }

  private static Object cli(int runs, Path home) throws Exception {
    if (!Files.isExecutable(CLI)) {
      return "not yet (" + CLI + " is not built: the CLI is on branch cli)";
    }
    ProcessBuilder pb = new ProcessBuilder(CLI.toString(), "run", "--rm", "busybox", "true");
    pb.environment().put("BERTH_HOME", home.toString());
    try {
      return measure(2, runs, () -> exec(pb));
    } catch (IllegalStateException e) {
      return "failed: " + e.getMessage();
    }
  }

  private static Object podmanRun(int runs, Podman podman, String image) throws Exception {
    try {
      podman.run("pull", "-q", "--tls-verify=false", image);
      return measure(2, runs, () -> podman.run("run", "--rm", image, "true"));
    } catch (IllegalStateException e) {
      return "failed: " + e.getMessage();
    }
  }

  private static Stats runOnly(int runs, Image image) throws Exception {
    List<Container> done = new ArrayList<>();
    double[] ms = new double[runs];
    for (int i = -5; i < runs; i++) {
      long t0 = System.nanoTime();
      Container c = image.run("true");
      c.waitFor();
      if (i >= 0) {
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      done.add(c);
    }
    done.forEach(Container::close);
    return Timing.stats(ms, "ms");
  }

  private static Path runcBundle(Path tmp) throws Exception {
    Path bundle = tmp.resolve("bundle");
    exec("umoci", "unpack", "--image", TestImages.layout("busybox") + ":latest", bundle.toString());
    // umoci writes a config.json that runs the image's Cmd with a terminal; run /bin/true
    Path config = bundle.resolve("config.json");
    String json = Files.readString(config)
        .replaceFirst("\"terminal\":\\s*true", "\"terminal\": false")
        .replaceFirst("\"args\":\\s*\\[[^\\]]*\\]", "\"args\": [\"/bin/true\"]");
    Files.writeString(config, json);
    return bundle;
  }
}
