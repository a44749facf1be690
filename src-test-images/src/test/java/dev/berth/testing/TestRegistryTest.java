package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.testing.TestRegistry.Variant;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestRegistryTest {
  @BeforeAll
  static void needsRegistry() {
    assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
  }

  private static HttpResponse<String> v2(TestRegistry registry, String... headers) throws Exception {
    HttpClient client = registry.variant() == Variant.TLS
        ? HttpClient.newBuilder().sslContext(registry.sslContext()).build() : Tools.HTTP;
    HttpRequest.Builder b = HttpRequest.newBuilder(registry.url().resolve("/v2/"));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void start_plain_v2Answers200() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.PLAIN)) {
      assertThat(v2(registry).statusCode()).as(registry.logs()).isEqualTo(200);
    }
  }

  @Test
  void start_tls_v2Answers200OverHttpsTrustingOnlyTheTestCa() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.TLS)) {
      assertThat(registry.url().getScheme()).isEqualTo("https");
      assertThat(v2(registry).statusCode()).as(registry.logs()).isEqualTo(200);
    }
  }

  @Test
  void start_basic_v2Answers401WithBasicChallenge() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.BASIC)) {
      HttpResponse<String> response = v2(registry);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"berth-test\"");
    }
  }

  @Test
  void start_basic_v2Answers200WithTheCredentials() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.BASIC)) {
      String basic = Base64.getEncoder().encodeToString((registry.username() + ":" + registry.password()).getBytes());
      assertThat(v2(registry, "Authorization", "Basic " + basic).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void start_token_v2Answers401WithBearerChallengeNamingRealmAndService() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.TOKEN)) {
      HttpResponse<String> response = v2(registry);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\""
          + registry.tokenServer().realm() + "\",service=\"" + registry.tokenServer().service() + "\"");
    }
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void skopeo_pushThenInspect_readsTheImageBack(Variant variant) {
    assumeTrue(Tools.has("skopeo") && Tools.has("umoci"), "needs skopeo and umoci (Debian packages)");
    try (TestRegistry registry = TestRegistry.start(variant)) {
      Tools.Result push = Tools.push(registry.host(), "demo/tiny", registry.skopeoDestArgs());
      assertThat(push.exitCode()).as(push.output() + registry.logs()).isZero();
      Tools.Result inspect = Tools.inspect(registry.host(), "demo/tiny", registry.skopeoInspectArgs());
      assertThat(inspect.exitCode()).as(inspect.output()).isZero();
      assertThat(inspect.output().trim()).isEqualTo(Tools.tinyManifest());
    }
  }

  @Test
  void skopeo_copyBetweenRegistries_usesSrcAndDestArgs() {
    assumeTrue(Tools.has("skopeo") && Tools.has("umoci"), "needs skopeo and umoci (Debian packages)");
    try (TestRegistry from = TestRegistry.start(Variant.TLS); TestRegistry to = TestRegistry.start(Variant.BASIC)) {
      assertThat(Tools.push(from.host(), "demo/tiny", from.skopeoDestArgs()).exitCode()).isZero();
      List<String> args = new ArrayList<>(List.of("copy"));
      args.addAll(from.skopeoSrcArgs());
      args.addAll(to.skopeoDestArgs());
      args.add("docker://" + from.host() + "/demo/tiny:latest");
      args.add("docker://" + to.host() + "/demo/tiny:latest");
      Tools.Result copy = Tools.skopeo(args);
      assertThat(copy.exitCode()).as(copy.output()).isZero();
    }
  }

  @Test
  void certsDir_tls_holdsTheCaUnderHostAndPort() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.TLS)) {
      Path ca = registry.certsDir().resolve(registry.host()).resolve("ca.crt");
      assertThat(Files.readString(ca)).isEqualTo(Files.readString(registry.caCertificate()));
    }
  }

  @Test
  void close_killsTheRegistryAndDeletesItsTempDir() {
    TestRegistry registry = TestRegistry.start(Variant.PLAIN);
    ProcessHandle process = ProcessHandle.of(registry.pid()).orElseThrow();
    registry.close();
    assertThat(process.isAlive()).isFalse();
    assertThat(registry.directory()).doesNotExist();
  }

  @Test
  void close_token_stopsTheTokenServer() {
    TestRegistry registry = TestRegistry.start(Variant.TOKEN);
    TokenServer tokens = registry.tokenServer();
    registry.close();
    assertThatThrownBy(() -> Tools.get(tokens.realm())).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void shared_sameVariant_returnsTheSameRunningRegistry() {
    assertThat(TestRegistry.shared(Variant.PLAIN)).isSameAs(TestRegistry.shared(Variant.PLAIN));
  }

  @Test
  void shared_close_leavesItRunning() {
    TestRegistry registry = TestRegistry.shared(Variant.PLAIN);
    registry.close();
    assertThat(registry.isRunning()).isTrue();
  }

  @Test
  void start_nullVariant_throwsNamingIt() {
    assertThatThrownBy(() -> TestRegistry.start(null)).isInstanceOf(NullPointerException.class).hasMessage("variant");
  }

  @Test
  void username_onPlain_throwsNamingTheVariantsThatHaveOne() {
    TestRegistry registry = TestRegistry.shared(Variant.PLAIN);
    assertThatThrownBy(registry::username).isInstanceOf(IllegalStateException.class)
        .hasMessage("username() is only for BASIC and TOKEN registries; this one is PLAIN");
  }

  @Test
  void caCertificate_onPlain_throwsNamingTls() {
    TestRegistry registry = TestRegistry.shared(Variant.PLAIN);
    assertThatThrownBy(registry::caCertificate).isInstanceOf(IllegalStateException.class)
        .hasMessage("caCertificate() is only for TLS registries; this one is PLAIN");
  }

  @Test
  void tokenServer_onPlain_throwsNamingToken() {
    TestRegistry registry = TestRegistry.shared(Variant.PLAIN);
    assertThatThrownBy(registry::tokenServer).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only for TOKEN registries");
  }

  @Test
  void logs_afterARequest_showTheRegistryOutput() throws Exception {
    try (TestRegistry registry = TestRegistry.start(Variant.PLAIN)) {
      v2(registry);
      assertThat(registry.logs()).contains("GET /v2/");
    }
  }
}
