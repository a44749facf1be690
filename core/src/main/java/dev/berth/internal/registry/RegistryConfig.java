package dev.berth.internal.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a {@link RegistryClient} needs to know about the world: mirrors, which registries may
 * be spoken to insecurely, where extra CAs and credentials live, timeouts, retries and who listens.
 * Immutable; start from {@link #builder()} (which reads the environment for defaults) and derive
 * variants with {@link #toBuilder()}.
 *
 * @param mirrors docker.io mirror base URLs ({@code https://mirror.example}), tried in order
 *     before {@code registry-1.docker.io}; a bare {@code host:port} means https
 * @param insecureRegistries {@code host[:port]} entries that may use plain HTTP or unverified TLS
 * @param certsDirs directories laid out as {@code <dir>/<host[:port]>/ca.crt} (and
 *     {@code *.cert}/{@code *.key} client pairs)
 * @param authFiles docker/podman auth files ({@code config.json}, {@code auth.json}), first wins
 * @param credentials explicit credentials per registry host[:port], overriding the auth files
 * @param helperDirs where {@code docker-credential-<name>} programs are looked for
 * @param connectTimeout TCP and TLS connect timeout
 * @param readTimeout the longest silence while reading a response
 * @param retry how failed requests are retried
 * @param uploadChunkSize blobs up to this size are uploaded in one PUT, bigger ones in PATCH chunks
 *     of this size
 * @param listener hears retries, fallbacks and resumes
 */
public record RegistryConfig(
    List<String> mirrors,
    Set<String> insecureRegistries,
    List<Path> certsDirs,
    List<Path> authFiles,
    Map<String, Credentials> credentials,
    List<Path> helperDirs,
    Duration connectTimeout,
    Duration readTimeout,
    RetryPolicy retry,
    int uploadChunkSize,
    RegistryListener listener) {

  /** Copies the collections and rejects missing or nonsensical values. */
  public RegistryConfig {
    mirrors = List.copyOf(mirrors);
    insecureRegistries = Set.copyOf(insecureRegistries);
    certsDirs = List.copyOf(certsDirs);
    authFiles = List.copyOf(authFiles);
    credentials = Map.copyOf(credentials);
    helperDirs = List.copyOf(helperDirs);
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    if (retry == null || listener == null) {
      throw new IllegalArgumentException("registry config needs a retry policy and a listener;"
          + " use RetryPolicy.NONE or RegistryListener.NONE to switch them off");
    }
    if (uploadChunkSize < 1024) {
      throw new IllegalArgumentException(
          "uploadChunkSize is " + uploadChunkSize + " bytes: use at least 1024");
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " is " + d + ": use a positive duration");
    }
  }

  /** @return a builder holding the defaults read from the environment */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the configuration with defaults only */
  public static RegistryConfig defaults() {
    return builder().build();
  }

  /** @return a builder initialised from this configuration */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mirrors = new ArrayList<>(mirrors);
    b.insecure = new LinkedHashSet<>(insecureRegistries);
    b.certsDirs = new ArrayList<>(certsDirs);
    b.authFiles = new ArrayList<>(authFiles);
    b.credentials = new LinkedHashMap<>(credentials);
    b.helperDirs = new ArrayList<>(helperDirs);
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.retry = retry;
    b.uploadChunkSize = uploadChunkSize;
    b.listener = listener;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private List<String> mirrors = new ArrayList<>();
    private Set<String> insecure = new LinkedHashSet<>();
    private List<Path> certsDirs = Environment.defaultCertsDirs();
    private List<Path> authFiles = Environment.defaultAuthFiles();
    private Map<String, Credentials> credentials = new LinkedHashMap<>();
    private List<Path> helperDirs = Environment.path();
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration readTimeout = Duration.ofSeconds(60);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private int uploadChunkSize = 8 << 20;
    private RegistryListener listener = RegistryListener.NONE;

    private Builder() {}

    /** Replaces the docker.io mirrors (base URLs, tried in order). */
    public Builder mirrors(List<String> value) {
      mirrors = new ArrayList<>(value);
      return this;
    }

    /** Replaces the insecure registries ({@code host[:port]}). */
    public Builder insecureRegistries(Set<String> value) {
      insecure = new LinkedHashSet<>(value);
      return this;
    }

    /** Replaces the certs.d directories. */
    public Builder certsDirs(List<Path> value) {
      certsDirs = new ArrayList<>(value);
      return this;
    }

    /** Replaces the auth files ({@code config.json}/{@code auth.json}), first match wins. */
    public Builder authFiles(List<Path> value) {
      authFiles = new ArrayList<>(value);
      return this;
    }

    /** Sets explicit credentials for one registry host[:port], overriding auth files. */
    public Builder credentials(String registry, String username, String secret) {
      credentials.put(registry, new Credentials(username, secret, "explicit configuration"));
      return this;
    }

    /** Replaces the directories searched for {@code docker-credential-*} helpers. */
    public Builder helperDirs(List<Path> value) {
      helperDirs = new ArrayList<>(value);
      return this;
    }

    /** Sets the connect timeout. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** Sets the read timeout. */
    public Builder readTimeout(Duration value) {
      readTimeout = value;
      return this;
    }

    /** Sets the retry policy. */
    public Builder retry(RetryPolicy value) {
      retry = value;
      return this;
    }

    /** Sets the upload chunk size in bytes. */
    public Builder uploadChunkSize(int value) {
      uploadChunkSize = value;
      return this;
    }

    /** Sets the listener. */
    public Builder listener(RegistryListener value) {
      listener = value;
      return this;
    }

    /** @throws IllegalArgumentException naming the bad setting */
    public RegistryConfig build() {
      return new RegistryConfig(mirrors, insecure, certsDirs, authFiles, credentials, helperDirs,
          connectTimeout, readTimeout, retry, uploadChunkSize, listener);
    }
  }

  /** Where docker and podman keep things by default. */
  static final class Environment {
    private Environment() {}

    static List<Path> defaultCertsDirs() {
      List<Path> dirs = new ArrayList<>();
      dirs.add(Path.of("/etc/docker/certs.d"));
      dirs.add(Path.of("/etc/containers/certs.d"));
      dirs.add(home().resolve(".config/containers/certs.d"));
      dirs.removeIf(d -> !Files.isDirectory(d));
      return dirs;
    }

    /** Podman's order: REGISTRY_AUTH_FILE, the runtime auth.json, then docker's config.json. */
    static List<Path> defaultAuthFiles() {
      List<Path> files = new ArrayList<>();
      String authFile = System.getenv("REGISTRY_AUTH_FILE");
      if (authFile != null && !authFile.isEmpty()) {
        files.add(Path.of(authFile));
      }
      String runtime = System.getenv("XDG_RUNTIME_DIR");
      if (runtime != null && !runtime.isEmpty()) {
        files.add(Path.of(runtime, "containers", "auth.json"));
      }
      String dockerConfig = System.getenv("DOCKER_CONFIG");
      files.add(dockerConfig != null && !dockerConfig.isEmpty()
          ? Path.of(dockerConfig, "config.json")
          : home().resolve(".docker/config.json"));
      return files;
    }

    static List<Path> path() {
      String path = System.getenv("PATH");
      List<Path> dirs = new ArrayList<>();
      for (String p : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
        if (!p.isEmpty()) {
          dirs.add(Path.of(p));
        }
      }
      return dirs;
    }

    private static Path home() {
      return Path.of(System.getProperty("user.home", "/"));
    }
  }
}
