package dev.berth.testing;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * per-JVM keys exist (made by openssl on first use). The process and its files are
 * {@link RegistryProcess}'s.
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
  private static final int START_ATTEMPTS = 3;
  private static final Set<TestRegistry> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Map<Variant, TestRegistry> SHARED = new ConcurrentHashMap<>();

  static {
    TempDirs.sweepStale(DIR_PREFIX);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(TestRegistry::stop), "berth-registry-cleanup"));
  }

  private final Variant variant;
  private final Path dir;
  private final RunSecrets secrets;
  private final TokenServer tokens;
  private final boolean shared;
  private final RegistryProcess process;

  private TestRegistry(Variant variant, Path dir, RunSecrets secrets, TokenServer tokens, boolean shared) {
    this.variant = variant;
    this.dir = dir;
    this.secrets = secrets;
    this.tokens = tokens;
    this.shared = shared;
    this.process = new RegistryProcess(variant, dir, secrets, tokens);
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
      TestRegistry candidate = new TestRegistry(variant, dir, secrets, tokens, shared);
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
    RUNNING.add(this);
    process.launch();
  }

  /** The variant this registry was started as. */
  public Variant variant() {
    return variant;
  }

  /** {@code 127.0.0.1:PORT}, the registry host as it appears in image references. */
  public String host() {
    return process.host();
  }

  /** The port the registry listens on. */
  public int port() {
    return process.port();
  }

  /** {@code http://127.0.0.1:PORT}, or {@code https://…} for {@link Variant#TLS}. */
  public URI url() {
    return process.url();
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
    return process.certsDir();
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
    return process.logs();
  }

  /** Whether the registry process is running. */
  public boolean isRunning() {
    return process.isRunning();
  }

  /** The registry's process id, for leak checks. */
  public long pid() {
    return process.pid();
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

  private void stopProcesses() {
    RUNNING.remove(this);
    process.stop();
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
}
