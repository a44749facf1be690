package dev.berth.testing;

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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The real distribution registry ({@code /usr/bin/docker-registry}, Debian package
 * {@code docker-registry}) running on a free 127.0.0.1 port with its storage in a temp dir, for
 * tests.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start(Variant.TLS)) {
 *   // push with skopeo: skopeo copy <registry.skopeoDestArgs()> oci:layout:tag docker://<registry.host()>/demo:1
 *   // point the client under test at registry.url(), trusting registry.caCertificate()
 * }
 * }</pre>
 *
 * <p>Most tests only need "a registry with the test images in it": use {@link #shared(Variant)},
 * which starts one registry per variant per JVM and ignores {@link #close()}.
 *
 * <p><b>As a docker.io mirror.</b> A {@link Variant#PLAIN} registry holding images pushed under
 * {@code library/<name>} (and {@code <user>/<name>} for non-official ones) answers exactly the
 * paths a client asks a Docker Hub mirror for, so a client configured with {@code url()} as the
 * mirror of {@code docker.io} pulls {@code node} as {@code library/node} from it, offline.
 *
 * <p>Each registry is killed and its temp dir deleted on {@link #close()}, by a JVM shutdown hook,
 * and, should the JVM die without running hooks, by a small watchdog process that kills the
 * registry when the JVM's end of a pipe closes. Starting takes a few tens of milliseconds once the
 * per-JVM keys exist (made by openssl on first use).
 */
public final class TestRegistry implements AutoCloseable {
  /** How the registry is set up. */
  public enum Variant {
    /** HTTP, no authentication; /v2/ answers 200. */
    PLAIN,
    /** HTTPS with a server certificate (SAN IP:127.0.0.1, DNS:localhost) from a CA made for the run. */
    TLS,
    /** HTTP with Basic authentication (htpasswd, bcrypt); /v2/ answers 401 with a Basic challenge. */
    BASIC,
    /** HTTP with bearer tokens from a {@link TokenServer}; /v2/ answers 401 with a Bearer challenge. */
    TOKEN
  }

  static final String BINARY = "/usr/bin/docker-registry";
  private static final String DIR_PREFIX = "berth-registry-";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
  private static final int START_ATTEMPTS = 3;
  private static final Set<TestRegistry> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Map<Variant, TestRegistry> SHARED = new ConcurrentHashMap<>();
  private static final Map<Variant, HttpClient> PROBES = new ConcurrentHashMap<>();

  static {
    TempDirs.sweepStale(DIR_PREFIX);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(TestRegistry::stop), "berth-registry-cleanup"));
  }

  private final Variant variant;
  private final Path dir;
  private final int port;
  private final RunSecrets secrets;
  private final TokenServer tokens;
  private final boolean shared;
  private Process registry;
  private Process watchdog;

  private TestRegistry(Variant variant, Path dir, int port, RunSecrets secrets, TokenServer tokens, boolean shared) {
    this.variant = variant;
    this.dir = dir;
    this.port = port;
    this.secrets = secrets;
    this.tokens = tokens;
    this.shared = shared;
  }

  /** Whether the registry binary is installed; tests use it in an assumption. */
  public static boolean available() {
    return Files.isExecutable(Path.of(BINARY));
  }

  /**
   * Starts a new registry of {@code variant} and waits until {@code /v2/} answers.
   *
   * @throws IllegalStateException when a tool is missing (naming the Debian package) or the
   *     registry does not come up (with its logs)
   */
  public static TestRegistry start(Variant variant) {
    return start(variant, false);
  }

  /**
   * The registry of {@code variant} shared by the whole JVM: started on first use, stopped when the
   * JVM exits; {@link #close()} on it does nothing. Do not change its token policy; start your own.
   *
   * @throws IllegalStateException as {@link #start(Variant)}
   */
  public static TestRegistry shared(Variant variant) {
    Objects.requireNonNull(variant, "variant");
    return SHARED.computeIfAbsent(variant, v -> start(v, true));
  }

  private static TestRegistry start(Variant variant, boolean shared) {
    Objects.requireNonNull(variant, "variant");
    if (!available()) {
      throw new IllegalStateException(BINARY + " is missing: install the Debian package docker-registry"
          + " (scripts/lib/deps.sh lists everything the tests need)");
    }
    RunSecrets secrets = variant == Variant.PLAIN ? null : RunSecrets.get();
    TokenServer tokens = variant == Variant.TOKEN ? TokenServer.start(RegistryConfig.SERVICE, RegistryConfig.ISSUER,
        AccessPolicy.standard(RunSecrets.USERNAME, secrets.password)) : null;
    Path dir = TempDirs.create(DIR_PREFIX);
    IllegalStateException failure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      TestRegistry candidate = new TestRegistry(variant, dir, freePort(), secrets, tokens, shared);
      try {
        candidate.launch();
        return candidate;
      } catch (IllegalStateException e) {
        // Another process may have taken the port between our probe and the registry's bind.
        candidate.stopProcesses();
        failure = e;
        if (!e.getMessage().contains("address already in use")) {
          break;
        }
      }
    }
    if (tokens != null) {
      tokens.close();
    }
    Commands.deleteTree(dir);
    throw failure;
  }

  private void launch() {
    try {
      Path storage = Files.createDirectories(dir.resolve("storage"));
      Path config = Files.writeString(dir.resolve("config.yml"), RegistryConfig.yaml(variant, port, storage, secrets, tokens));
      Path hostCerts = Files.createDirectories(certsDir().resolve(host()));
      if (variant == Variant.TLS) {
        Files.copy(secrets.caCert, hostCerts.resolve("ca.crt"));
      }
      RUNNING.add(this);
      registry = new ProcessBuilder(BINARY, "serve", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
          .start();
      registry.getOutputStream().close();
      // Kills the registry when this JVM's end of the pipe closes, i.e. when the JVM dies.
      watchdog = new ProcessBuilder("/bin/sh", "-c", "read x; kill -KILL \"$1\"", "berth-registry-watchdog",
          Long.toString(registry.pid())).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + BINARY + " in " + dir, e);
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

  /** The variant this registry was started as. */
  public Variant variant() {
    return variant;
  }

  /** {@code 127.0.0.1:PORT}, the registry host as it appears in image references. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The port the registry listens on. */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://…} for {@link Variant#TLS}. */
  public URI url() {
    return URI.create((variant == Variant.TLS ? "https://" : "http://") + host());
  }

  /**
   * The user that may pull and push everything.
   *
   * @throws IllegalStateException for PLAIN and TLS, which have no credentials
   */
  public String username() {
    requireCredentials("username()");
    return RunSecrets.USERNAME;
  }

  /**
   * The password of {@link #username()}, generated for this JVM.
   *
   * @throws IllegalStateException for PLAIN and TLS, which have no credentials
   */
  public String password() {
    requireCredentials("password()");
    return secrets.password;
  }

  /**
   * The PEM file of the CA that signed the registry's certificate.
   *
   * @throws IllegalStateException for variants other than TLS
   */
  public Path caCertificate() {
    requireVariant(Variant.TLS, "caCertificate()");
    return secrets.caCert;
  }

  /**
   * An {@link SSLContext} trusting only the test CA, for clients under test.
   *
   * @throws IllegalStateException for variants other than TLS
   */
  public SSLContext sslContext() {
    requireVariant(Variant.TLS, "sslContext()");
    return secrets.sslContext;
  }

  /**
   * A directory laid out like Docker's {@code /etc/docker/certs.d}: {@code <host:port>/ca.crt}. For
   * variants other than TLS the host directory exists and is empty.
   */
  public Path certsDir() {
    return dir.resolve("certs.d");
  }

  /**
   * The token server of a TOKEN registry, to change its policy or read its requests.
   *
   * @throws IllegalStateException for variants other than TOKEN
   */
  public TokenServer tokenServer() {
    requireVariant(Variant.TOKEN, "tokenServer()");
    return tokens;
  }

  /** The flags {@code skopeo copy} needs to push here, such as {@code --dest-tls-verify=false}. */
  public List<String> skopeoDestArgs() {
    return skopeoArgs("dest");
  }

  /** The flags {@code skopeo copy/inspect} need to read from here, such as {@code --src-creds=…}. */
  public List<String> skopeoSrcArgs() {
    return skopeoArgs("src");
  }

  /**
   * The flags for {@code skopeo inspect}, which has no src/dest: {@code --tls-verify}, {@code --cert-dir},
   * {@code --creds}.
   */
  public List<String> skopeoInspectArgs() {
    return skopeoArgs("");
  }

  private List<String> skopeoArgs(String side) {
    String prefix = side.isEmpty() ? "--" : "--" + side + "-";
    String tls = variant == Variant.TLS
        ? prefix + "cert-dir=" + certsDir().resolve(host())
        : prefix + "tls-verify=false";
    return switch (variant) {
      case PLAIN, TLS -> List.of(tls);
      case BASIC, TOKEN -> List.of(tls, prefix + "creds=" + RunSecrets.USERNAME + ":" + secrets.password);
    };
  }

  /** Everything the registry printed so far, for failure messages. */
  public String logs() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    } catch (IOException e) {
      return "(could not read " + logFile() + ": " + e + ")";
    }
  }

  /** Whether the registry process is running. */
  public boolean isRunning() {
    return registry != null && registry.isAlive();
  }

  /** The registry's process id, for leak checks. */
  public long pid() {
    return registry.pid();
  }

  /** The temp dir holding storage, config, logs and certs.d; deleted on close. */
  public Path directory() {
    return dir;
  }

  /** Kills the registry and deletes its temp dir; does nothing for a {@link #shared} registry. */
  @Override
  public void close() {
    if (!shared) {
      stop();
    }
  }

  @Override
  public String toString() {
    return "TestRegistry[" + variant + " " + url() + (shared ? " shared" : "") + "]";
  }

  private void stop() {
    stopProcesses();
    if (tokens != null) {
      tokens.close();
    }
    Commands.deleteTree(dir);
  }

  private synchronized void stopProcesses() {
    RUNNING.remove(this);
    // The watchdog goes first, so it cannot kill a recycled pid after the registry is gone.
    for (Process p : new Process[] {watchdog, registry}) {
      if (p != null) {
        p.destroyForcibly();
        awaitExit(p);
      }
    }
  }

  private Path logFile() {
    return dir.resolve("registry.log");
  }

  private void requireCredentials(String accessor) {
    if (variant != Variant.BASIC && variant != Variant.TOKEN) {
      throw new IllegalStateException(accessor + " is only for BASIC and TOKEN registries; this one is " + variant);
    }
  }

  private void requireVariant(Variant expected, String accessor) {
    if (variant != expected) {
      throw new IllegalStateException(accessor + " is only for " + expected + " registries; this one is " + variant);
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
