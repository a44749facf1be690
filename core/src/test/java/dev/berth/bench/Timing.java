package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What every benchmark row shares: timing a body N times, median and spread, /proc readings. */
final class Timing {
  private Timing() {}

  /** Median and spread (p10–p90) of a series, in the series' unit. */
  record Stats(double median, double p10, double p90, int n, String unit) {
    @Override
    public String toString() {
      return String.format("median %8.1f %s  (p10 %.1f, p90 %.1f; n=%d)", median, unit, p10, p90, n);
    }
  }

  interface Body {
    void run() throws Exception;
  }

  /** Times {@code body} {@code runs} times in milliseconds, after {@code warmups} untimed runs. */
  static Stats measure(int warmups, int runs, Body body) throws Exception {
    return measure(warmups, runs, 0, body);
  }

  /**
   * Like {@link #measure(int, int, Body)} with {@code gapMillis} of idle time (untimed) before
   * each run: the latency of a start when the last one is not still settling, as a test suite
   * or an application sees it, rather than back-to-back throughput.
   */
  static Stats measure(int warmups, int runs, long gapMillis, Body body) throws Exception {
    for (int i = 0; i < warmups; i++) {
      body.run(); // JIT, page cache
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      Thread.sleep(gapMillis);
      ms[i] = millis(body);
    }
    return stats(ms, "ms");
  }

  /** Wall time of one run of {@code body}, in milliseconds. */
  static double millis(Body body) throws Exception {
    long t0 = System.nanoTime();
    body.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  static Stats stats(double[] values, String unit) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return new Stats(s[n / 2], s[n / 10], s[Math.min(n - 1, n * 9 / 10)], n, unit);
  }

  static Stats stats(List<Double> values, String unit) {
    return stats(values.stream().mapToDouble(Double::doubleValue).toArray(), unit);
  }

  /** Prints one row: what, the contender's figure. */
  static void row(String what, Object figure) {
    System.out.printf("  %-58s %s%n", what, figure);
  }

  /** A field of /proc/{@code pid}/status (VmRSS, VmHWM) in MiB; "self" for this JVM. */
  static double statusMib(String pid, String field) {
    return kibFieldMib(Path.of("/proc", pid, "status"), field);
  }

  /**
   * A "Field: N kB" line of a /proc file in MiB: {@code /proc/<pid>/smaps_rollup}'s Pss (the
   * process's share of the pages it maps), {@code /proc/meminfo}'s Shmem (memfds and tmpfs).
   */
  static double kibFieldMib(Path file, String field) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
      throw new IllegalStateException(file + " has no " + field);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Kills, waits for, then removes a running container. Not {@code close()} at once: removing a
   * container while it dies can race its cgroup's removal (reading freezer.state or
   * cgroup.controllers of the vanishing cgroup fails with ENODEV); reported to the lead.
   */
  static void dispose(dev.berth.Container c) throws InterruptedException {
    c.kill();
    c.waitFor();
    c.close();
  }

  /** Runs {@code cmd}, output discarded; throws naming the command and its output on failure. */
  static String exec(String... cmd) throws IOException, InterruptedException {
    return exec(new ProcessBuilder(cmd));
  }

  static String exec(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", pb.command()) + " exited " + p.exitValue()
          + ": " + out.strip());
    }
    return out;
  }

  /** Times a and b in turn, {@code runs} times each after two warm-ups of each; prints both rows. */
  static void pair(int runs, String aWhat, Body a, String bWhat, Body b) throws Exception {
    pairMeasured(runs, aWhat, () -> millis(a), bWhat, () -> millis(b));
  }

  /** A run that measures itself (in another process, say) and returns its figure in ms. */
  interface Measured {
    double run() throws Exception;
  }

  /** Like {@link #pair}, with figures the runs report themselves. */
  static void pairMeasured(int runs, String aWhat, Measured a, String bWhat, Measured b)
      throws Exception {
    for (int i = 0; i < 2; i++) {
      a.run();
      b.run();
    }
    double[] am = new double[runs];
    double[] bm = new double[runs];
    for (int i = 0; i < runs; i++) {
      am[i] = a.run();
      bm[i] = b.run();
    }
    Stats as = stats(am, "ms");
    Stats bs = stats(bm, "ms");
    row(aWhat, as);
    row(bWhat, bs);
    System.out.printf("  %-58s %.2fx   (load average now %s)%n", "ratio of the medians",
        as.median() / bs.median(), Files.readString(Path.of("/proc/loadavg")).substring(0, 14));
  }
}
