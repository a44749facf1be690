package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.RunOptions;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row "first": the first container of a fresh JVM, as a test run's first fixture meets it: a new
 * JVM opens an engine on a home where busybox is stored, runs {@code true} and waits for it.
 * Timed from outside (the whole child process) and inside (launch to main, engine open, the
 * container's run-to-exit), beside {@code podman run --rm --network=none busybox true} (a new
 * process too) and the floor of this JVM: the same {@code java -cp} running an empty main.
 * Rounds alternate the three.
 */
public final class FirstContainerBench {
  /** More options for the child JVM (env FIRST_CHILD_OPTS), e.g. a flight recording. */
  private static final List<String> CHILD_OPTS = System.getenv("FIRST_CHILD_OPTS") == null
      ? List.of() : List.of(System.getenv("FIRST_CHILD_OPTS").trim().split("\\s+"));

  private FirstContainerBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(Path.of(args[1]), args[2], Long.parseLong(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("noop")) {
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bfc");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    Path home = tmp.resolve("home");
    try (Podman podman = new Podman(tmp.resolve("p"))) {
      try (Berth berth = Registries.engine(home, reg)) {
        berth.pull("busybox");
      }
      podman.run("pull", "-q", "--tls-verify=false", image);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("java.class.path");
      List<Double> berth = new ArrayList<>();
      List<Double> floor = new ArrayList<>();
      List<Double> peer = new ArrayList<>();
      List<String> inside = new ArrayList<>();
      for (int i = -1; i < runs; i++) { // round -1 warms the page cache, untimed
        String[] out = new String[1];
        List<String> child = new ArrayList<>(List.of(java));
        child.addAll(CHILD_OPTS);
        child.addAll(List.of("-cp", cp, FirstContainerBench.class.getName(), "child",
            home.toString(), reg.host()));
        double b = Timing.millis(() -> {
          child.add(Long.toString(System.currentTimeMillis())); // the child's launch, for launch-to-main
          out[0] = exec(child.toArray(String[]::new)).strip();
          child.remove(child.size() - 1);
        });
        double f = Timing.millis(() -> exec(java, "-cp", cp,
            FirstContainerBench.class.getName(), "noop"));
        double p = Timing.millis(() -> podman.run("run", "--rm", "--network=none", image, "true"));
        if (i >= 0) {
          berth.add(b);
          floor.add(f);
          peer.add(p);
          inside.add(out[0]);
        }
      }
      System.out.printf("first. the first container of a fresh JVM (busybox stored), %d rounds%n",
          runs);
      row("Berth: new JVM, engine, run true, exit (whole process)", Timing.stats(berth, "ms"));
      row("  inside the median-ish runs: " + inside.get(inside.size() / 2), "");
      row("podman run --rm --network=none busybox true", Timing.stats(peer, "ms"));
      row("floor: the same java -cp with an empty main", Timing.stats(floor, "ms"));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /**
   * Runs in the fresh JVM: prints where its time went. The launch time comes from the parent: the
   * JVM's own start time (its management beans) would cost this process 20-30 ms more.
   */
  private static void child(Path home, String mirror, long launchedMillis) throws Exception {
    long main = System.currentTimeMillis() - launchedMillis;
    long t0 = System.nanoTime();
    try (Berth berth = Berth.builder().home(home).registryMirror(mirror).build()) {
      long t1 = System.nanoTime();
      var image = berth.image("busybox");
      long t2 = System.nanoTime();
      try (Container c = image.run(RunOptions.command("true"))) {
        int code = c.waitFor();
        if (code != 0) {
          throw new IllegalStateException("true exited " + code);
        }
      }
      long t3 = System.nanoTime();
      System.out.printf("launch-to-main %d ms, engine %.0f ms, image %.0f ms, run+exit+rm %.0f ms",
          main, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }
  }
}
