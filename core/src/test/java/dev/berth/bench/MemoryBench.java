package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;
import static dev.berth.bench.Timing.statusMib;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.RunOptions;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 7: the memory the library adds to a JVM with {@code n} (default 20) detached containers
 * running: this JVM's RSS once the test registry is up (test support, not the library) vs after
 * pulling busybox and starting n detached {@code sleep 300}, plus the container monitors' RSS
 * summed (memory too, outside the JVM; also their PSS, and the machine's shmem they added: each
 * helper's executable is a sealed memfd), beside podman's conmon RSS summed over n {@code podman
 * run -d} of the same image. Runs in its own JVM so no other row's heap is counted.
 */
public final class MemoryBench {
  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    double atStart = statusMib("self", "VmRSS");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    double before = statusMib("self", "VmRSS");
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bmm");
    List<Container> running = new ArrayList<>();
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      Image busybox = berth.pull("busybox");
      RunOptions sleep = RunOptions.builder().command("sleep", "300").detach(true).build();
      busybox.run("true").close(); // the JVM's helper copy made, spares started: not per container
      Thread.sleep(500);
      double shmemBefore = Timing.kibFieldMib(MEMINFO, "Shmem");
      for (int i = 0; i < n; i++) {
        running.add(busybox.run(sleep));
      }
      double shmemAfter = Timing.kibFieldMib(MEMINFO, "Shmem");
      double after = statusMib("self", "VmRSS");
      double monitors = 0;
      double monitorsPss = 0;
      for (Container c : running) {
        String pid = Long.toString(monitorPid(berth.home(), c));
        monitors += statusMib(pid, "VmRSS");
        monitorsPss += Timing.kibFieldMib(Path.of("/proc", pid, "smaps_rollup"), "Pss");
      }
      podman.run("pull", "-q", "--tls-verify=false", image);
      double conmons = 0;
      for (int i = 0; i < n; i++) {
        String id = podman.run("run", "-d", image, "sleep", "300").strip();
        conmons += statusMib(podman.run("inspect", "--format", "{{.State.ConmonPid}}", id).strip(),
            "VmRSS");
      }
      System.out.printf("7. memory with %d detached containers running%n", n);
      row("JVM RSS at start / after test registry (not Berth)",
          String.format("%6.0f MiB / %.0f MiB", atStart, before));
      row("JVM RSS after pull + " + n + " detached: added by Berth",
          String.format("%6.0f MiB (+%.0f MiB)", after, after - before));
      row("Berth monitors' RSS, summed (per container)",
          String.format("%6.1f MiB (%.2f MiB)", monitors, monitors / n));
      row("Berth monitors' PSS (their share of shared pages), summed",
          String.format("%6.1f MiB (%.2f MiB)", monitorsPss, monitorsPss / n));
      row("machine's Shmem added by the " + n + " (helper copies, /dev tmpfs)",
          String.format("%6.1f MiB (%.2f MiB)", shmemAfter - shmemBefore, (shmemAfter - shmemBefore) / n));
      row("podman conmon RSS, summed (per container)",
          String.format("%6.1f MiB (%.2f MiB)", conmons, conmons / n));
    } finally {
      for (Container c : running) {
        Timing.dispose(c);
      }
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static long monitorPid(Path home, Container c) {
    Path state = home.resolve("containers").resolve(c.id()).resolve("state.json");
    return ContainerState.read(state).orElseThrow(() -> new IllegalStateException(
        "container " + c.id() + " has no state.json at " + state)).monitorPid();
  }
}
