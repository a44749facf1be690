package dev.berth.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process token server speaking the Docker registry token protocol, like
 * {@code auth.docker.io}: {@code GET <realm>?service=…&scope=repository:name:pull,push} with optional
 * Basic credentials answers {@code {token, access_token, expires_in, issued_at}}. Tokens are ES256
 * JWTs carrying the signing certificate in their {@code x5c} header, which the registry verifies
 * against its {@code rootcertbundle}.
 *
 * <pre>{@code
 * try (TestRegistry registry = TestRegistry.start(Variant.TOKEN)) {
 *   TokenServer tokens = registry.tokenServer();
 *   tokens.policy(tokens.policy().withPublic("demo/*"));
 *   // ... pull through the client under test ...
 *   assertThat(tokens.requests()).extracting(TokenRequest::scopes).hasSize(1);
 * }
 * }</pre>
 *
 * <p>A wrong password gets 401; a scope the account may not have is left out of the token (not an
 * error), so the registry then refuses the request, as Docker Hub does. Only the GET form of the
 * protocol is served; the OAuth2 POST form answers 405.
 */
public final class TokenServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final String service;
  private final String issuer;
  private final RunSecrets secrets = RunSecrets.get();
  private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
  private volatile AccessPolicy policy;
  private volatile Duration lifetime = Duration.ofMinutes(5);

  private TokenServer(String service, String issuer, AccessPolicy policy) throws IOException {
    this.service = service;
    this.issuer = issuer;
    this.policy = policy;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::handle);
    server.start();
  }

  /**
   * Starts a token server on a free 127.0.0.1 port.
   *
   * @param service the registry's service name: the token audience, and what clients must send
   * @param issuer the {@code iss} claim; the registry must be configured to trust it
   * @throws UncheckedIOException when no port can be bound
   */
  public static TokenServer start(String service, String issuer, AccessPolicy policy) {
    try {
      return new TokenServer(Objects.requireNonNull(service, "service"), Objects.requireNonNull(issuer, "issuer"),
          Objects.requireNonNull(policy, "policy"));
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the token server on 127.0.0.1", e);
    }
  }

  /** The realm URL clients are sent to: {@code http://127.0.0.1:PORT/token}. */
  public URI realm() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
  }

  /** The service name tokens are issued for. */
  public String service() {
    return service;
  }

  /** The issuer name tokens carry. */
  public String issuer() {
    return issuer;
  }

  /** The certificate the registry must trust (PEM path), the one sent in each token's x5c header. */
  public java.nio.file.Path signingCertificate() {
    return secrets.tokenCert;
  }

  /** The current access rules. */
  public AccessPolicy policy() {
    return policy;
  }

  /** Replaces the access rules for the following requests. */
  public void policy(AccessPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * Sets how long the following tokens are valid ({@code expires_in}; at least 1 second). The
   * registry allows 60 seconds of clock skew past {@code exp}, so an expired token is only refused
   * a minute later.
   *
   * @throws IllegalArgumentException for less than a second
   */
  public void tokenLifetime(Duration lifetime) {
    if (lifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("token lifetime " + lifetime + " is too short: give at least 1 second");
    }
    this.lifetime = lifetime;
  }

  /** Every request answered so far, oldest first. */
  public List<TokenRequest> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        respond(exchange, 405, error("UNSUPPORTED", "only GET <realm>?service=&scope= is served, not "
            + exchange.getRequestMethod() + " (no OAuth2 POST form)"));
        return;
      }
      Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
      List<String> scopes = query.getOrDefault("scope", List.of());
      String[] credentials = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
      String account = credentials == null ? AccessPolicy.ANONYMOUS : credentials[0];
      int status = answer(exchange, query, scopes, credentials, account);
      requests.add(new TokenRequest(account, scopes, status));
    }
  }

  private int answer(HttpExchange exchange, Map<String, List<String>> query, List<String> scopes,
      String[] credentials, String account) throws IOException {
    String requestedService = query.getOrDefault("service", List.of("")).get(0);
    if (!service.equals(requestedService)) {
      return respond(exchange, 400, error("INVALID_REQUEST", "unknown service '" + requestedService
          + "': this token server issues tokens for service '" + service + "'"));
    }
    AccessPolicy current = policy;
    if (credentials != null && !current.authenticates(credentials[0], credentials[1])) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + realm() + "\"");
      return respond(exchange, 401, error("UNAUTHORIZED", "incorrect username or password"));
    }
    List<Map<String, Object>> access = new ArrayList<>();
    for (String scope : scopes) {
      Map<String, Object> granted = grant(current, account, scope);
      if (granted == null) {
        return respond(exchange, 400, error("INVALID_REQUEST", "malformed scope '" + scope
            + "': expected type:name:actions such as repository:library/busybox:pull,push"));
      }
      access.add(granted);
    }
    return respond(exchange, 200, tokenResponse(account, access));
  }

  /** The access entry for one scope, or null when the scope is malformed. */
  private static Map<String, Object> grant(AccessPolicy policy, String account, String scope) {
    int first = scope.indexOf(':');
    int last = scope.lastIndexOf(':');
    if (first <= 0 || last <= first + 1) {
      return null;
    }
    String type = scope.substring(0, first);
    String name = scope.substring(first + 1, last);
    List<String> actions = List.of(scope.substring(last + 1).split(","));
    List<String> allowed = type.equals("repository")
        ? List.copyOf(policy.allowed(account, name, actions))
        : List.of(); // registry:catalog:* and other types are never granted
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("type", type);
    entry.put("name", name);
    entry.put("actions", allowed);
    return entry;
  }

  private Map<String, Object> tokenResponse(String account, List<Map<String, Object>> access) {
    Instant now = Instant.now();
    long expiresIn = lifetime.toSeconds();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", issuer);
    claims.put("sub", account);
    claims.put("aud", service);
    claims.put("exp", now.getEpochSecond() + expiresIn);
    claims.put("nbf", now.getEpochSecond());
    claims.put("iat", now.getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("access", access);
    String jwt = sign(claims);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", jwt);
    body.put("access_token", jwt);
    body.put("expires_in", expiresIn);
    body.put("issued_at", now.toString());
    return body;
  }

  private String sign(Map<String, Object> claims) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("typ", "JWT");
    header.put("alg", "ES256");
    header.put("x5c", List.of(secrets.tokenCertificateX5c()));
    try {
      String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
      // JWS wants the raw r||s form of an ECDSA signature, not DER.
      Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
      signer.initSign(secrets.tokenKey);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(signer.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a token", e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** {user, password} from a Basic Authorization header, null when absent or not Basic. */
  private static String[] basicCredentials(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new String[] {"", null}; // undecodable credentials are wrong credentials
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? new String[] {decoded, null} : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  private static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      // Some clients send several scopes space-separated in one parameter.
      for (String v : key.equals("scope") ? value.split(" ") : new String[] {value}) {
        if (!v.isEmpty() || !key.equals("scope")) {
          result.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        }
      }
    }
    return result;
  }

  private static Map<String, Object> error(String code, String message) {
    return Map.of("errors", List.of(Map.of("code", code, "message", message)));
  }

  private static int respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    return status;
  }
}
