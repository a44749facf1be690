package dev.berth.bench;

import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.runtime.BusyboxRootfs;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.RuntimeSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Throughput (MB/s) and connections per second through a port published by the container's
 * monitor, against a direct loopback connection to the same server (a container on the host
 * network), in one run. Needs root and gcc (the sink server is built from
 * src/test/resources/net/tcp-sink.c). Run from core/:
 *
 * <pre>java -cp target/classes:target/test-classes:DEPS dev.berth.bench.PortForwardBench [MiB] [connections]</pre>
 */
public final class PortForwardBench {
  private static final int SINK_PORT = 7000;

  private PortForwardBench() {}

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int conns = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    Path tmp = Files.createTempDirectory("berth-bench");
    Path lower = BusyboxRootfs.create(tmp.resolve("lower"));
    Path sink = buildSink(tmp);
    HelperLauncher launcher = new HelperLauncher(new HelperBinary(tmp.resolve("bin")).path(), Duration.ofSeconds(20));
    LaunchedContainer published = start(launcher, lower, sink, tmp.resolve("published"), SINK_PORT,
        NetworkSpec.privateNetwork(NetworkSpec.tcp(0, SINK_PORT)));
    LaunchedContainer direct = start(launcher, lower, sink, tmp.resolve("direct"), SINK_PORT + 1, NetworkSpec.host());
    try {
      int proxied = published.ports().get(0).hostPort();
      waitForServer(proxied);
      waitForServer(SINK_PORT + 1);
      throughput(SINK_PORT + 1, 64); // warm-up: JIT, page cache
      throughput(proxied, 64);
      double loopMb = throughput(SINK_PORT + 1, mib), proxyMb = throughput(proxied, mib);
      double loopCps = connectionsPerSecond(SINK_PORT + 1, conns), proxyCps = connectionsPerSecond(proxied, conns);
      System.out.printf("throughput, %d MiB: loopback %.0f MB/s, published port %.0f MB/s (%.0f%%)%n", mib, loopMb, proxyMb,
          100 * proxyMb / loopMb);
      System.out.printf("connections, %d sequential: loopback %.0f/s, published port %.0f/s (%.0f%%)%n", conns, loopCps,
          proxyCps, 100 * proxyCps / loopCps);
    } finally {
      for (LaunchedContainer c : List.of(published, direct)) {
        ProcessHandle.of(c.hostPid()).ifPresent(ProcessHandle::destroyForcibly);
        c.waitFor();
      }
      new ProcessBuilder("rm", "-rf", tmp.toString()).inheritIO().start().waitFor();
    }
  }

  private static Path buildSink(Path tmp) throws Exception {
    Path bin = tmp.resolve("tcp-sink");
    Process p = new ProcessBuilder("gcc", "-static", "-O2", "-o", bin.toString(), "src/test/resources/net/tcp-sink.c")
        .inheritIO().start();
    if (p.waitFor() != 0) throw new IllegalStateException("building the sink server failed (is gcc installed? run from core/)");
    return bin;
  }

  private static LaunchedContainer start(HelperLauncher launcher, Path lower, Path sink, Path dir, int port, NetworkSpec net)
      throws Exception {
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    RuntimeSpec spec = RuntimeSpec.builder(new RuntimeSpec.Overlay(List.of(lower), dir.resolve("upper"), dir.resolve("work")),
            "/tcp-sink", Integer.toString(port))
        .mount(RuntimeSpec.Mount.bind(sink, "/tcp-sink", true)).build();
    return launcher.launch(spec, dir, net);
  }

  /** Until a connection is accepted by the server itself (the proxy closes at once while nothing listens). */
  private static void waitForServer(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(100);
        s.getInputStream().read();
      } catch (java.net.SocketTimeoutException e) {
        return; // the sink holds it open: serving
      } catch (java.io.IOException e) {
        // not yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("nothing serves 127.0.0.1:" + port);
  }

  /** MB/s (10^6 bytes) of one connection sending mib MiB, until the server has read them all. */
  private static double throughput(int port, int mib) throws Exception {
    byte[] chunk = new byte[256 * 1024];
    long t0 = System.nanoTime();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = s.getOutputStream();
      for (long sent = 0; sent < (long) mib << 20; sent += chunk.length) out.write(chunk);
      s.shutdownOutput();
      awaitClose(s.getInputStream());
    }
    return ((long) mib << 20) / 1e6 / ((System.nanoTime() - t0) / 1e9);
  }

  /** Connect, send a byte, half-close, wait for the server's close: n times in a row. */
  private static double connectionsPerSecond(int port, int n) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.getOutputStream().write(1);
        s.shutdownOutput();
        awaitClose(s.getInputStream());
      }
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static void awaitClose(InputStream in) throws Exception {
    while (in.read() != -1) {
      // the sink never writes; -1 is its close
    }
  }

}
