package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testing.TestRegistry.Variant;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestRegistry registry;
  private static TokenServer tokens;

  @BeforeAll
  static void startRegistry() {
    assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
    registry = TestRegistry.start(Variant.TOKEN);
    tokens = registry.tokenServer();
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @BeforeEach
  void resetTokenServer() {
    tokens.policy(AccessPolicy.standard(registry.username(), registry.password()));
    tokens.clearRequests();
  }

  private static URI tokenUri(String service, String... scopes) {
    StringBuilder q = new StringBuilder("?service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    for (String scope : scopes) {
      q.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }
    return URI.create(tokens.realm() + q.toString());
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode part(String jwt, int index) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
  }

  private static String token(HttpResponse<byte[]> response) throws Exception {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return JSON.readTree(response.body()).get("token").asText();
  }

  @Test
  void token_wrongPassword_answers401() throws Exception {
    HttpResponse<byte[]> response = Tools.get(tokenUri(tokens.service(), "repository:demo/x:pull"),
        "Authorization", basic(registry.username(), "wrong"));
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("incorrect username or password");
  }

  @Test
  void token_unknownService_answers400NamingBoth() throws Exception {
    HttpResponse<byte[]> response = Tools.get(tokenUri("elsewhere", "repository:demo/x:pull"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("'elsewhere'").contains(tokens.service());
  }

  @Test
  void token_malformedScope_answers400NamingIt() throws Exception {
    HttpResponse<byte[]> response = Tools.get(tokenUri(tokens.service(), "repository-demo-pull"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("malformed scope 'repository-demo-pull'");
  }

  @Test
  void token_response_hasTokenAccessTokenExpiresInAndIssuedAt() throws Exception {
    JsonNode body = JSON.readTree(Tools.get(tokenUri(tokens.service())).body());
    assertThat(body.get("access_token").asText()).isEqualTo(body.get("token").asText());
    assertThat(body.get("expires_in").asLong()).isEqualTo(300);
    assertThat(Instant.parse(body.get("issued_at").asText())).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(
        Duration.ofMinutes(1).toMillis(), java.time.temporal.ChronoUnit.MILLIS));
  }

  @Test
  void token_claims_nameIssuerSubjectAudienceTimesAndId() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:demo/x:pull"),
        "Authorization", basic(registry.username(), registry.password())));
    JsonNode claims = part(jwt, 1);
    long now = Instant.now().getEpochSecond();
    assertThat(claims.get("iss").asText()).isEqualTo(tokens.issuer());
    assertThat(claims.get("sub").asText()).isEqualTo(registry.username());
    assertThat(claims.get("aud").asText()).isEqualTo(tokens.service());
    assertThat(claims.get("iat").asLong()).isBetween(now - 60, now);
    assertThat(claims.get("nbf").asLong()).isEqualTo(claims.get("iat").asLong());
    assertThat(claims.get("exp").asLong()).isEqualTo(claims.get("iat").asLong() + 300);
    assertThat(claims.get("jti").asText()).isNotBlank();
  }

  @Test
  void token_user_isGrantedPullAndPushOnAnyRepository() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:team/app:pull,push"),
        "Authorization", basic(registry.username(), registry.password())));
    assertThat(part(jwt, 1).get("access").toString())
        .isEqualTo("[{\"type\":\"repository\",\"name\":\"team/app\",\"actions\":[\"pull\",\"push\"]}]");
  }

  @Test
  void token_anonymousOnPublicRepository_isGrantedPullOnly() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:library/busybox:pull,push")));
    assertThat(part(jwt, 1).get("access").toString())
        .isEqualTo("[{\"type\":\"repository\",\"name\":\"library/busybox\",\"actions\":[\"pull\"]}]");
  }

  @Test
  void token_anonymousOnPrivateRepository_isGrantedNothing() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:team/app:pull")));
    assertThat(part(jwt, 1).get("access").get(0).get("actions")).isEmpty();
  }

  @Test
  void token_signature_verifiesWithTheX5cCertificate() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service())));
    JsonNode header = part(jwt, 0);
    X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(header.get("x5c").get(0).asText())));
    Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
    verifier.initVerify(cert);
    verifier.update(jwt.substring(0, jwt.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
    assertThat(header.get("alg").asText()).isEqualTo("ES256");
    assertThat(verifier.verify(Base64.getUrlDecoder().decode(jwt.substring(jwt.lastIndexOf('.') + 1)))).isTrue();
  }

  @Test
  void token_requests_recordAccountScopesAndStatus() throws Exception {
    Tools.get(tokenUri(tokens.service(), "repository:a:pull", "repository:b:push"),
        "Authorization", basic(registry.username(), registry.password()));
    Tools.get(tokenUri(tokens.service(), "repository:a:pull"));
    assertThat(tokens.requests()).containsExactly(
        new TokenRequest(registry.username(), List.of("repository:a:pull", "repository:b:push"), 200),
        new TokenRequest(AccessPolicy.ANONYMOUS, List.of("repository:a:pull"), 200));
  }

  @Test
  void token_postForm_answers405() throws Exception {
    HttpResponse<String> response = Tools.HTTP.send(java.net.http.HttpRequest.newBuilder(tokens.realm())
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=password")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(405);
  }

  @Test
  void registry_anonymousPullOfPublicRepository_isAllowed() {
    assumeSkopeo();
    assertThat(Tools.push(registry.host(), "library/tiny", registry.skopeoDestArgs()).exitCode()).isZero();
    Tools.Result inspect = Tools.inspect(registry.host(), "library/tiny", List.of("--tls-verify=false"));
    assertThat(inspect.exitCode()).as(inspect.output() + registry.logs()).isZero();
  }

  @Test
  void registry_anonymousPullOfPrivateRepository_isDenied() {
    assumeSkopeo();
    assertThat(Tools.push(registry.host(), "team/tiny", registry.skopeoDestArgs()).exitCode()).isZero();
    Tools.Result inspect = Tools.inspect(registry.host(), "team/tiny", List.of("--tls-verify=false"));
    assertThat(inspect.exitCode()).isNotZero();
    assertThat(inspect.output()).containsIgnoringCase("unauthorized");
  }

  @Test
  void registry_anonymousPush_isDenied() {
    assumeSkopeo();
    Tools.Result push = Tools.push(registry.host(), "library/anon", List.of("--dest-tls-verify=false"));
    assertThat(push.exitCode()).isNotZero();
    assertThat(push.output()).containsIgnoringCase("unauthorized");
  }

  @Test
  void registry_pullWithTokenFromServer_isHonoured() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:library/busybox:pull")));
    HttpResponse<byte[]> response = Tools.get(registry.url().resolve("/v2/library/busybox/tags/list"),
        "Authorization", "Bearer " + jwt);
    // 404 NAME_UNKNOWN, not 401: the registry accepted the token and looked for the repository.
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8) + registry.logs())
        .isEqualTo(404);
  }

  @Test
  void registry_tokenForAnotherRepository_isRefused() throws Exception {
    String jwt = token(Tools.get(tokenUri(tokens.service(), "repository:library/busybox:pull")));
    HttpResponse<byte[]> response = Tools.get(registry.url().resolve("/v2/library/alpine/tags/list"),
        "Authorization", "Bearer " + jwt);
    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void tokenLifetime_underOneSecond_throws() {
    assertThatThrownBy(() -> tokens.tokenLifetime(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 second");
  }

  private static void assumeSkopeo() {
    assumeTrue(Tools.has("skopeo") && Tools.has("umoci"), "needs skopeo and umoci (Debian packages)");
  }
}
