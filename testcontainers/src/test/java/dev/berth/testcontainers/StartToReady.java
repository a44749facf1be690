package dev.berth.testcontainers;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * One engine's side of the Testcontainers benchmark ({@code dev.berth.bench.TestcontainersBench}),
 * a JVM of its own because Testcontainers picks its engine once per JVM ({@code -Dberth.it.engine}
 * chooses, as in the tests). It starts a busybox {@code GenericContainer} with a log wait at once
 * (the first container of a fresh JVM: Testcontainers' own start-up, the engine's, the container)
 * and prints {@code first MS}; then, for every {@code start} line on stdin, starts and stops one
 * more and prints the milliseconds from {@code start()} called to {@code start()} returned (the
 * log line seen). {@code exit} or end of input ends it.
 */
public final class StartToReady {
  private StartToReady() {}

  public static void main(String[] args) throws Exception {
    Engines.setUp(); // images present on either engine: not part of any figure
    long t0 = System.nanoTime();
    System.out.println("first " + cycle(t0));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("exit"); ) {
      if (!line.equals("start")) {
        throw new IllegalArgumentException("StartToReady reads start or exit, not " + line);
      }
      System.out.println("start " + cycle(System.nanoTime()));
    }
    System.exit(0); // Testcontainers' and the engine's threads are not daemons
  }

  /** Starts one container, stops it; the milliseconds from {@code t0} until it was ready. */
  private static double cycle(long t0) {
    try (GenericContainer<?> c = new GenericContainer<>("busybox:latest")
        .withCommand("sh", "-c", "echo ready; exec sleep 600")
        .waitingFor(Wait.forLogMessage(".*ready.*\\s", 1))) {
      c.start();
      return (System.nanoTime() - t0) / 1e6;
    }
  }
}
