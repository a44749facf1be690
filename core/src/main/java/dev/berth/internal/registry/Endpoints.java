package dev.berth.internal.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Decides where a registry is reached: docker.io through its mirrors then
 * {@code registry-1.docker.io}; other registries over https, with a plain-http fallback for
 * registries marked insecure and for loopback hosts.
 *
 * <p>Docker treats loopback registries as insecure (no TLS verification at all). Berth is stricter:
 * a loopback registry that speaks TLS is verified (so certs.d works for it), and plain HTTP is used
 * only when the server does not speak TLS. Once a registry answered over plain HTTP, later
 * requests go there directly.
 */
final class Endpoints {
  static final String DOCKER_HUB = "docker.io";
  static final String DOCKER_HUB_API = "registry-1.docker.io";
  /** How long an https attempt may stay silent before plain http is tried instead. */
  private static final Duration LOOPBACK_PROBE = Duration.ofSeconds(2);
  private static final Duration REMOTE_PROBE = Duration.ofSeconds(10);
  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

  private final RegistryConfig config;
  private final OkHttpClient base;
  private final Map<String, OkHttpClient> clients = new ConcurrentHashMap<>();
  /** The scheme each https-or-http registry answered on; absent until one did. */
  private final Map<String, String> schemes = new ConcurrentHashMap<>();

  Endpoints(RegistryConfig config, OkHttpClient base) {
    this.config = config;
    this.base = base;
  }

  /**
   * @param registry as references name it
   * @param useMirrors true for reads, which may come from docker.io mirrors
   * @return the endpoints to try in order
   */
  List<Endpoint> candidates(String registry, boolean useMirrors) {
    List<Endpoint> out = new ArrayList<>();
    if (isDockerHub(registry)) {
      if (useMirrors) {
        for (String m : config.mirrors()) {
          out.add(mirror(m));
        }
      }
      out.add(endpoint(DOCKER_HUB, "https", DOCKER_HUB_API, false));
      return out;
    }
    String scheme = schemes.get(registry);
    boolean probing = scheme == null && mayUsePlainHttp(registry);
    if (!"http".equals(scheme)) {
      Endpoint https = endpoint(registry, "https", registry, false);
      // a server that does not speak TLS may wait silently for more of our handshake
      out.add(probing ? https.asProbe(probeTimeout(registry)) : https);
    }
    if ("http".equals(scheme) || probing) {
      out.add(endpoint(registry, "http", registry, false));
    }
    return out;
  }

  /** @return the client for a URL outside the registry API, e.g. a token realm */
  OkHttpClient clientFor(HttpUrl url) {
    String hostPort = url.host() + ":" + url.port();
    String name = url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : hostPort;
    return url.isHttps() ? tlsClient(name) : base;
  }

  /**
   * Whether, after {@code failed} could not be reached with {@code cause}, the next endpoint is
   * worth trying: always from a mirror; from https to http only when the server does not speak
   * TLS, or for an insecure registry.
   */
  boolean shouldFallBack(Endpoint failed, Throwable cause) {
    if (failed.mirror()) {
      return true;
    }
    return "https".equals(failed.base().scheme())
        && (isInsecure(failed.registry()) || notSpeakingTls(cause)
            || cause instanceof java.net.SocketTimeoutException);
  }

  /** Remembers which scheme answered, so later requests skip the https attempt or fallback. */
  void succeeded(Endpoint e) {
    if (!e.mirror()) {
      schemes.putIfAbsent(e.registry(), e.base().scheme());
    }
  }

  private Duration probeTimeout(String registry) {
    Duration limit = isLoopback(registry) ? LOOPBACK_PROBE : REMOTE_PROBE;
    return config.readTimeout().compareTo(limit) < 0 ? config.readTimeout() : limit;
  }

  static boolean isDockerHub(String registry) {
    return DOCKER_HUB.equals(registry) || "index.docker.io".equals(registry)
        || DOCKER_HUB_API.equals(registry);
  }

  static boolean isLoopback(String registry) {
    String host = hostOf(registry);
    return "localhost".equals(host) || "::1".equals(host) || IPV4_LOOPBACK.matcher(host).matches();
  }

  private boolean mayUsePlainHttp(String registry) {
    return isInsecure(registry) || isLoopback(registry);
  }

  private boolean isInsecure(String registry) {
    return config.insecureRegistries().contains(registry)
        || config.insecureRegistries().contains(hostOf(registry));
  }

  private static boolean notSpeakingTls(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof SSLException && !Retries.isCertificateFailure(t)) {
        return true;
      }
    }
    return false;
  }

  private static String hostOf(String registry) {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return end > 0 ? registry.substring(1, end) : registry;
    }
    int colon = registry.lastIndexOf(':');
    return colon >= 0 ? registry.substring(0, colon) : registry;
  }

  private Endpoint mirror(String spec) {
    // A bare host:port is https, except loopback and insecure hosts, which speak plain HTTP
    // (as a registry named that way would).
    String url = spec.contains("://") ? spec
        : (mayUsePlainHttp(spec) ? "http://" : "https://") + spec;
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new IllegalArgumentException("registry mirror '" + spec
          + "' is not a URL: use e.g. https://mirror.example.com or http://127.0.0.1:5000");
    }
    String hostPort = parsed.host() + (parsed.port() == HttpUrl.defaultPort(parsed.scheme())
        ? "" : ":" + parsed.port());
    return new Endpoint(DOCKER_HUB, parsed.newBuilder().encodedPath("/").build(),
        parsed.isHttps() ? tlsClient(hostPort) : base, true, false);
  }

  private Endpoint endpoint(String registry, String scheme, String hostPort, boolean mirror) {
    HttpUrl url = HttpUrl.parse(scheme + "://" + hostPort + "/");
    if (url == null) {
      throw new IllegalArgumentException("registry '" + registry
          + "' is not a valid host[:port]; write it as registry.example.com or host:5000");
    }
    return new Endpoint(registry, url, "https".equals(scheme) ? tlsClient(hostPort) : base,
        mirror, false);
  }

  private OkHttpClient tlsClient(String hostPort) {
    return clients.computeIfAbsent(hostPort, h -> {
      if (isInsecure(h)) {
        TlsTrust trustAll = TlsTrust.insecure();
        return base.newBuilder()
            .sslSocketFactory(trustAll.context().getSocketFactory(), trustAll.trustManager())
            .hostnameVerifier((host, session) -> true)
            .build();
      }
      return TlsTrust.forRegistry(h, config.certsDirs())
          .map(t -> base.newBuilder()
              .sslSocketFactory(t.context().getSocketFactory(), t.trustManager()).build())
          .orElse(base);
    });
  }
}
