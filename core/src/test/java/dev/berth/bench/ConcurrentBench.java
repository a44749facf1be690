package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Row 6: {@code n} (default 50) containers started at once from one JVM: n threads each call
 * {@code image.run("sleep", "5")} of busybox; timed until every one is running. Reports the
 * total time and the JVM's peak RSS (VmHWM), beside n {@code podman run -d} processes started in
 * parallel (total time until all returned), and the floor: n processes in new namespaces
 * ({@code unshare}) started the same way from n threads until each has run. One round: it is a
 * burst, and n containers of sleep 5 each is the unit.
 */
public final class ConcurrentBench {
  private ConcurrentBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bcc");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      Image busybox = berth.pull("busybox");
      busybox.run("true").close(); // warm-up: helper extracted, classes loaded
      double rssBefore = Timing.statusMib("self", "VmRSS");
      List<Container> started = new ArrayList<>();
      double berthMs = Timing.millis(() -> started.addAll(inParallel(n, () -> busybox.run("sleep", "5"))));
      long alive = started.stream().filter(Container::isAlive).count();
      double hwm = Timing.statusMib("self", "VmHWM");
      for (Container c : started) {
        c.waitFor();
        c.close();
      }
      List<Process> floor = new ArrayList<>();
      double floorMs = Timing.millis(() -> floor.addAll(inParallel(n, ConcurrentBench::unshared)));
      for (Process p : floor) {
        p.destroyForcibly().waitFor();
      }
      podman.run("pull", "-q", "--tls-verify=false", image);
      double podmanMs = Timing.millis(() -> inParallel(n,
          () -> podman.run("run", "-d", image, "sleep", "5")));
      System.out.printf("6. %d containers started concurrently (sleep 5), one round%n", n);
      row("Berth: " + n + " threads image.run, all running (" + alive + " alive at end)",
          String.format("%8.0f ms", berthMs));
      row("Berth: JVM RSS before / peak (VmHWM) after", String.format("%8.0f MiB / %.0f MiB",
          rssBefore, hwm));
      row("floor: " + n + " threads each start unshare -m -u -i -n -p -f sh, until each ran",
          String.format("%8.0f ms", floorMs));
      row("podman run -d, " + n + " processes in parallel", String.format("%8.0f ms"
          + "  (no JVM; per-container conmon RSS: see row 7)", podmanMs));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /**
   * The floor of one container's start: a process in new mount, UTS, IPC, network and PID
   * namespaces, started by this JVM as Berth starts its helper, that has run once it says so
   * (then it sleeps; {@code --kill-child} ends it with the unshare).
   */
  private static Process unshared() throws Exception {
    Process p = new ProcessBuilder("unshare", "-m", "-u", "-i", "-n", "-p", "-f", "--kill-child",
        "sh", "-c", "echo up; exec sleep 5").redirectErrorStream(true).start();
    if (p.getInputStream().read() != 'u') {
      throw new IllegalStateException("unshare did not start: exit " + p.waitFor());
    }
    return p;
  }

  /** Calls {@code task} on {@code n} threads at once; returns their results. */
  static <T> List<T> inParallel(int n, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<T>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> f : all) {
        results.add(f.get());
      }
      return results;
    } finally {
      pool.shutdown();
    }
  }
}
