package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.RunOptions;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Row "cycle": run-to-exit in a JVM past its JIT warm-up, the steady state a long test suite
 * reaches: {@code warmups} (default 500) untimed cycles, then {@code runs} (default 300) timed
 * ones of {@code image.run("true")} + {@code waitFor} (timed) + {@code close} (timed apart), on
 * the default private network and with {@code --network none}, in blocks of {@code -Dbench.block}
 * cycles (default 25) that alternate: each network's steady state (the engine's spares are of the
 * kind its recent runs wanted, see SparePool), spread over the same minutes; {@code
 * -Dbench.block=1} alternates run by run (a workload that switches networks each run). Also
 * prints when {@code run()} returned (the container started), the JVM's own CPU time a cycle (the
 * helper, monitor and slirp4netns are other processes), and the calling thread's CPU in
 * {@code run()} and in {@code close()}; with {@code -Dbench.threads=true}
 * ({@code BENCH_JAVA_OPTS}), the CPU of each of the JVM's threads at the end. Built for comparing two commits of Berth in the same minutes (each side run from
 * its own worktree), which wall-time medians of short runs on this VM cannot tell apart.
 */
public final class RunCycleBench {
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private RunCycleBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bcy");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      Image busybox = berth.pull("busybox");
      RunOptions none = RunOptions.builder().command("true").network("none").build();
      RunOptions priv = RunOptions.builder().command("true").build();
      int block = Integer.getInteger("bench.block", 25);
      for (int i = 0; i < warmups; i++) {
        try (Container c = busybox.run(i / block % 2 == 0 ? priv : none)) {
          c.waitFor();
        }
      }
      double[][] run = new double[2][runs];
      double[][] close = new double[2][runs];
      double[][] started = new double[2][runs];
      long[] cpu = new long[2];
      long[] mainRun = new long[2];
      long[] mainClose = new long[2];
      for (int b = 0; b < runs; b += block) {
        for (int k = 0; k < 2; k++) {
          for (int i = b; i < Math.min(runs, b + block); i++) {
            long c0 = cpuNanos();
            long m0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Container c = busybox.run(k == 0 ? priv : none);
            started[k][i] = (System.nanoTime() - t0) / 1e6;
            long m1 = THREADS.getCurrentThreadCpuTime();
            c.waitFor();
            long t1 = System.nanoTime();
            long m2 = THREADS.getCurrentThreadCpuTime();
            c.close();
            long t2 = System.nanoTime();
            mainRun[k] += m1 - m0;
            mainClose[k] += THREADS.getCurrentThreadCpuTime() - m2;
            cpu[k] += cpuNanos() - c0;
            run[k][i] = (t1 - t0) / 1e6;
            close[k][i] = (t2 - t1) / 1e6;
          }
        }
      }
      System.out.printf("cycle. run-to-exit of /bin/true after %d warm-up cycles, %d runs each, in alternating blocks of %d%n",
          warmups, runs, block);
      String[] names = {"private network (default)", "--network none"};
      for (int k = 0; k < 2; k++) {
        row("Berth: run + waitFor, " + names[k], Timing.stats(run[k], "ms"));
        row("Berth: run() returned (started), " + names[k], Timing.stats(started[k], "ms"));
        row("Berth: close (remove), " + names[k], Timing.stats(close[k], "ms"));
        row("Berth: JVM CPU a cycle, " + names[k],
            String.format("%8.2f ms", cpu[k] / 1e6 / runs));
        row("Berth: calling thread's CPU in run(), " + names[k], String.format("%8.2f ms", mainRun[k] / 1e6 / runs));
        row("Berth: calling thread's CPU in close(), " + names[k], String.format("%8.2f ms", mainClose[k] / 1e6 / runs));
      }
      if (Boolean.getBoolean("bench.threads")) threadCpu();
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /** CPU of this JVM's threads by name (/proc/self/task), the busiest first; -Dbench.threads=true. */
  private static void threadCpu() throws java.io.IOException {
    java.util.Map<String, Long> byName = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        String stat = Files.readString(t.resolve("stat"));
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "N");
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        byName.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10L, Long::sum);
      }
    }
    byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(12)
        .forEach(e -> System.out.printf("  thread %-18s %6d ms%n", e.getKey(), e.getValue()));
  }

  /** This JVM's user + system CPU time (the JDK reads /proc/self/stat: clock ticks of 10 ms), in ns. */
  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
  }
}
