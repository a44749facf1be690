package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.pair;

import dev.berth.Berth;
import dev.berth.Image;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Row 5: listing all containers with {@code count} (default 1,000) present: {@code
 * berth.containers(true)} (what {@code Containers.list(true)} does) with that many exited
 * containers of busybox {@code true}, beside {@code podman ps -a} with that many created podman
 * containers of the same image, interleaved (A B A B …, after two warm-ups each: Berth's first
 * list in a JVM reads every record; the row is the warm JVM's). Creating them is not timed.
 */
public final class ListBench {
  private static final int CREATORS = 4;

  private ListBench() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bls");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      Image busybox = berth.pull("busybox");
      podman.run("pull", "-q", "--tls-verify=false", image);
      double berthCreate = Timing.millis(() -> times(count, () -> busybox.run("true").waitFor()));
      double podmanCreate = Timing.millis(() -> times(count,
          () -> podman.run("create", image, "true")));
      long[] listed = new long[1];
      double firstList = Timing.millis(() -> listed[0] = berth.containers(true).size());
      check(listed[0], count, "Berth");
      check(podman.run("ps", "-a", "-q").lines().count(), count, "podman");
      System.out.printf("5. list all containers with %d present, %d runs (creating them took"
          + " %.0f s with Berth run true, %.0f s with podman create, %d threads each)%n",
          count, runs, berthCreate / 1000, podmanCreate / 1000, CREATORS);
      System.out.printf("  Berth's first list in this JVM, which reads every record: %.1f ms%n",
          firstList);
      pair(runs, "Berth: berth.containers(true)", () -> berth.containers(true),
          "podman ps -a", () -> podman.run("ps", "-a"));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static void check(long listed, int count, String who) {
    if (listed != count) {
      throw new IllegalStateException(who + " lists " + listed + " containers, expected " + count);
    }
  }

  /** Runs {@code body} {@code count} times on a few threads, to create containers quickly. */
  private static void times(int count, Timing.Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CREATORS);
    try {
      List<Future<Object>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(pool.submit(() -> {
          body.run();
          return null;
        }));
      }
      for (Future<Object> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
