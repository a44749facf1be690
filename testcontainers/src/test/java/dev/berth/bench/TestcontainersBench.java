package dev.berth.bench;

import static dev.berth.bench.Timing.pairMeasured;
import static dev.berth.bench.Timing.row;
import static dev.berth.bench.Timing.stats;

import dev.berth.testcontainers.StartToReady;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row testcontainers (issue #18): a Testcontainers {@code GenericContainer} (busybox, a log wait)
 * from {@code start()} called to ready, on in-JVM Berth (the {@code berth-testcontainers}
 * dependency) and on podman's API service ({@code podman system service}), interleaved run by
 * run: each engine is a JVM of its own ({@link StartToReady}; Testcontainers picks its engine once
 * per JVM) that this one tells when to start the next container. Also the first container of a
 * fresh JVM (Testcontainers' and the engine's own start-up included), {@code cold} fresh JVMs
 * of each, alternating.
 *
 * <p>Run with {@code scripts/bench testcontainers}.
 */
public final class TestcontainersBench {
  private TestcontainersBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int cold = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    System.out.println("testcontainers. Testcontainers' GenericContainer(busybox) with"
        + " Wait.forLogMessage, start() to ready; each engine in a JVM of its own");
    List<Double> berthFirst = new ArrayList<>();
    List<Double> podmanFirst = new ArrayList<>();
    for (int i = 0; i < cold; i++) {
      try (Child b = new Child("berth")) {
        berthFirst.add(b.first);
      }
      try (Child p = new Child("podman")) {
        podmanFirst.add(p.first);
      }
    }
    row("first container of a fresh JVM → Berth (in-JVM)", stats(berthFirst, "ms"));
    row("first container of a fresh JVM → podman service", stats(podmanFirst, "ms"));
    try (Child b = new Child("berth"); Child p = new Child("podman")) {
      pairMeasured(runs, "start() to ready → Berth (in-JVM)", b::start,
          "start() to ready → podman system service", p::start);
    }
  }

  /** One {@link StartToReady} JVM on one engine. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    final double first;

    Child(String engine) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-Dberth.it.engine=" + engine,
          "-cp", System.getProperty("java.class.path"), StartToReady.class.getName())
          .redirectError(ProcessBuilder.Redirect.INHERIT);
      if (engine.equals("podman")) {
        pb.environment().put("TESTCONTAINERS_RYUK_DISABLED", "true"); // no ryuk image here
      }
      process = pb.start();
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      first = figure("first");
    }

    double start() throws IOException {
      in.println("start");
      return figure("start");
    }

    /** The next line that starts with {@code key}; the other lines are the child's log. */
    private double figure(String key) throws IOException {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(key + " ")) {
          return Double.parseDouble(line.substring(key.length() + 1));
        }
      }
      throw new IllegalStateException("the " + key + " figure never came: the benchmark's JVM"
          + " exited " + waitFor() + " (its errors are above)");
    }

    private int waitFor() {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    @Override
    public void close() {
      in.println("exit");
      if (waitFor() != 0) {
        throw new IllegalStateException("a benchmark JVM exited " + process.exitValue());
      }
    }
  }
}
