package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.Container;
import dev.berth.Image;
import dev.berth.RunOptions;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Row 2: start-to-ready of a detached container, from the call that starts it until the first
 * byte of an HTTP answer is read from its published port: {@code image.run(detached, publish
 * 3000)} of the node test image running {@code node server.js}, beside {@code podman run -d -p}
 * of the same image from the test registry with the same probe. Removal is not timed.
 */
public final class ReadyBench {
  private static final long PROBE_TIMEOUT_NANOS = 60_000_000_000L;

  private ReadyBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "brd");
    TestRegistry reg = Registries.plainWith("node");
    String image = reg.host() + "/node:latest";
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      Image node = berth.pull("node");
      podman.run("pull", "-q", "--tls-verify=false", image);
      RunOptions opts = RunOptions.builder().command("node", "server.js").detach(true)
          .publish(3000).build();
      List<Double> berthMs = new ArrayList<>();
      List<Double> podmanMs = new ArrayList<>();
      for (int i = -1; i < runs; i++) { // interleaved, so load hits both alike; run -1 warms up
        double b = berthOnce(node, opts);
        double p = podmanOnce(podman, image);
        if (i >= 0) {
          berthMs.add(b);
          podmanMs.add(p);
        }
      }
      System.out.println("2. start-to-ready: run() until the first byte from published port 3000"
          + " (node server.js), " + runs + " runs");
      row("Berth: image.run(detach, publish 3000) + first byte", Timing.stats(berthMs, "ms"));
      row("podman run -d -p 127.0.0.1:P:3000 + first byte", Timing.stats(podmanMs, "ms"));
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  private static double berthOnce(Image node, RunOptions opts) throws Exception {
    long t0 = System.nanoTime();
    Container c = node.run(opts);
    firstByte(c.hostPort(3000));
    double ms = (System.nanoTime() - t0) / 1e6;
    Timing.dispose(c);
    return ms;
  }

  private static double podmanOnce(Podman podman, String image) throws Exception {
    int port = freePort();
    long t0 = System.nanoTime();
    String id = podman.run("run", "-d", "-p", "127.0.0.1:" + port + ":3000", image,
        "node", "server.js").strip();
    firstByte(port);
    double ms = (System.nanoTime() - t0) / 1e6;
    podman.run("rm", "-f", "-t", "0", id);
    return ms;
  }

  /** Retries until the server (not just a proxy that accepts and closes) answers a byte. */
  static void firstByte(int port) throws InterruptedException {
    long deadline = System.nanoTime() + PROBE_TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        if (in.read() >= 0) {
          return;
        }
      } catch (IOException notYet) {
        // nothing listens yet
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException("nothing answered on 127.0.0.1:" + port + " within 60 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
