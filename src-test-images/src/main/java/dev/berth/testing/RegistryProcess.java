package dev.berth.testing;

import dev.berth.testing.TestRegistry.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One {@code docker-registry} process of a {@link TestRegistry} and its files: writes its config
 * and certs.d, starts it with a watchdog that kills it when this JVM dies, waits until it answers
 * {@code /v2/} on its own port (its log says it holds it), and kills both processes.
 */
final class RegistryProcess {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final Map<Variant, HttpClient> PROBES = new ConcurrentHashMap<>();

  private final Variant variant;
  private final Path dir;
  private final int port;
  private final RunSecrets secrets;
  private final TokenServer tokens;
  private Process registry;
  private Process watchdog;

  /** A registry of {@code variant} on a free port, its files under {@code dir}; not started. */
  RegistryProcess(Variant variant, Path dir, RunSecrets secrets, TokenServer tokens) {
    this.variant = variant;
    this.dir = dir;
    this.port = freePort();
    this.secrets = secrets;
    this.tokens = tokens;
  }

  int port() {
    return port;
  }

  String host() {
    return "127.0.0.1:" + port;
  }

  URI url() {
    return URI.create((variant == Variant.TLS ? "https://" : "http://") + host());
  }

  Path certsDir() {
    return dir.resolve("certs.d");
  }

  /**
   * Writes the config and certs.d, starts the registry and its watchdog, and waits until it
   * answers.
   *
   * @throws IllegalStateException when it exits or does not answer in time, with its logs
   */
  void launch() {
    try {
      Path storage = Files.createDirectories(dir.resolve("storage"));
      Path config = Files.writeString(dir.resolve("config.yml"), RegistryConfig.yaml(variant, port, storage, secrets, tokens));
      Path hostCerts = Files.createDirectories(certsDir().resolve(host()));
      if (variant == Variant.TLS) {
        Files.copy(secrets.caCert, hostCerts.resolve("ca.crt"));
      }
      registry = new ProcessBuilder(TestRegistry.BINARY, "serve", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .start();
      registry.getOutputStream().close();
      // Kills the registry when this JVM's end of the pipe closes, i.e. when the JVM dies.
      watchdog = new ProcessBuilder("/bin/sh", "-c", "read x; kill -KILL \"$1\"", "berth-registry-watchdog",
          Long.toString(registry.pid())).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + TestRegistry.BINARY + " in " + dir, e);
    }
    awaitReady();
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest probe = HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
    // The log line proves that our registry holds the port, not some other process that took it.
    String listening = "listening on " + host();
    while (System.nanoTime() < deadline) {
      if (!registry.isAlive()) {
        throw new IllegalStateException(variant + " registry on port " + port + " exited with code "
            + registry.exitValue() + "; logs:\n" + logs());
      }
      if (logs().contains(listening) && answers(probe)) {
        return;
      }
      pause();
    }
    throw new IllegalStateException(variant + " registry on port " + port + " did not answer /v2/ within "
        + READY_TIMEOUT.toSeconds() + "s; logs:\n" + logs());
  }

  private boolean answers(HttpRequest probe) {
    try {
      probeClient().send(probe, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry", e);
    }
  }

  private HttpClient probeClient() {
    return PROBES.computeIfAbsent(variant, v -> {
      HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
      return v == Variant.TLS ? builder.sslContext(secrets.sslContext).build() : builder.build();
    });
  }

  /** Everything the registry printed so far. */
  String logs() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    } catch (IOException e) {
      return "(could not read " + logFile() + ": " + e + ")";
    }
  }

  private Path logFile() {
    return dir.resolve("registry.log");
  }

  boolean isRunning() {
    return registry != null && registry.isAlive();
  }

  long pid() {
    return registry.pid();
  }

  /** Kills the watchdog, then the registry, and waits for both. */
  synchronized void stop() {
    // The watchdog goes first, so it cannot kill a recycled pid after the registry is gone.
    for (Process p : new Process[] {watchdog, registry}) {
      if (p != null) {
        p.destroyForcibly();
        awaitExit(p);
      }
    }
  }

  private static void awaitExit(Process p) {
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the registry", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("could not find a free port on 127.0.0.1", e);
    }
  }
}
