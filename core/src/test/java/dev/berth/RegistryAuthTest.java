package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import dev.berth.testsupport.Registries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials for one call ({@link RegistryAuth}) and {@link Berth#login}, against the real
 * registry with htpasswd (Basic) and with a token server. Each engine reads no auth file, so
 * what it presents is only what the test gives it.
 */
class RegistryAuthTest {
  @TempDir Path tmp;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
  }

  private Berth engine(BerthBuilder b) {
    return b.home(tmp.resolve("home")).dockerConfig(tmp.resolve("no-config.json")).build();
  }

  private static RegistryAuth right(TestRegistry r) {
    return RegistryAuth.password(r.username(), r.password());
  }

  @Test
  void login_rightPassword_basicAndTokenRegistries_succeed() {
    try (Berth berth = engine(Berth.builder())) {
      for (Variant v : List.of(Variant.BASIC, Variant.TOKEN)) {
        TestRegistry r = TestRegistry.shared(v);
        berth.login(r.host(), right(r));
        berth.login("http://" + r.host() + "/v1/", right(r)); // as docker login may name it
      }
    }
  }

  @Test
  void login_wrongPassword_throwsAuthenticationNamingRegistryAndUser() {
    try (Berth berth = engine(Berth.builder())) {
      for (Variant v : List.of(Variant.BASIC, Variant.TOKEN)) {
        TestRegistry r = TestRegistry.shared(v);
        assertThatThrownBy(() -> berth.login(r.host(),
            RegistryAuth.password(r.username(), "wrong-password-7")))
            .as(v.toString())
            .isInstanceOf(AuthenticationException.class)
            .hasMessageContaining(r.host())
            .hasMessageContaining("user " + r.username())
            .hasMessageContaining("check the user name and password")
            .message().doesNotContain("wrong-password-7");
      }
    }
  }

  @Test
  void login_registryWithoutAuth_succeeds() {
    TestRegistry plain = TestRegistry.shared(Variant.PLAIN);
    try (Berth berth = engine(Berth.builder())) {
      berth.login(plain.host(), RegistryAuth.password("anyone", "anything"));
    }
  }

  @Test
  void pull_perCallCredentials_overrideTheEnginesForThatCallOnly() {
    TestRegistry basic = Registries.with(TestRegistry.shared(Variant.BASIC), "busybox");
    try (Berth berth = engine(Berth.builder()
        .credentials(basic.host(), basic.username(), "stale-password"))) {
      Image image = berth.pull(basic.host() + "/busybox", right(basic), PullListener.NONE);
      assertThat(image.manifestDigest()).isNotNull();
      berth.removeImage(image.id().toString(), true);
      assertThatThrownBy(() -> berth.pull(basic.host() + "/busybox"))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("explicit configuration");
    }
  }

  @Test
  void pull_wrongPerCallPassword_throwsAuthenticationNamingRegistryAndRepository() {
    TestRegistry basic = Registries.with(TestRegistry.shared(Variant.BASIC), "busybox");
    try (Berth berth = engine(Berth.builder())) {
      assertThatThrownBy(() -> berth.pull(basic.host() + "/busybox",
          RegistryAuth.password(basic.username(), "wrong-password-8"), PullListener.NONE))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("registry " + basic.host())
          .hasMessageContaining(basic.host() + "/busybox:latest")
          .hasMessageContaining("user " + basic.username() + " from the credentials given to pull");
      assertThat(berth.images()).isEmpty();
    }
  }

  @Test
  void pull_concurrentCallsWithDifferentCredentials_doNotMix() throws Exception {
    TestRegistry token = Registries.with(TestRegistry.shared(Variant.TOKEN), "busybox");
    String ref = token.host() + "/busybox";
    RegistryAuth wrong = RegistryAuth.password(token.username(), "wrong-password-9");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try (Berth berth = engine(Berth.builder())) {
      List<Future<Object>> rights = new ArrayList<>();
      List<Future<Object>> wrongs = new ArrayList<>();
      List<Future<Object>> anonymous = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        rights.add(pool.submit(() -> berth.pull(ref, right(token), PullListener.NONE)));
        wrongs.add(pool.submit(() -> outcome(() -> berth.pull(ref, wrong, PullListener.NONE))));
        anonymous.add(pool.submit(() -> outcome(() -> berth.pull(ref))));
      }
      for (Future<Object> f : rights) {
        assertThat(f.get()).isInstanceOf(Image.class);
      }
      for (Future<Object> f : wrongs) {
        assertThat(f.get()).isInstanceOf(AuthenticationException.class);
      }
      for (Future<Object> f : anonymous) {
        // an anonymous 401 may mean "no such repository": not found, or refused, never pulled
        assertThat(f.get()).isInstanceOfAny(ImageNotFoundException.class,
            AuthenticationException.class);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pull_registryToken_isSentAsItIs() throws Exception {
    TestRegistry token = Registries.with(TestRegistry.shared(Variant.TOKEN), "busybox");
    String bearer = fetchToken(token, "repository:busybox:pull");
    try (Berth berth = engine(Berth.builder())) {
      Image image = berth.pull(token.host() + "/busybox", RegistryAuth.registryToken(bearer),
          PullListener.NONE);
      assertThat(image.manifestDigest()).isNotNull();
      assertThatThrownBy(() -> berth.pull(token.host() + "/busybox:other",
          RegistryAuth.registryToken("not-a-token"), PullListener.NONE))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining("a registry token from the credentials given to pull");
    }
  }

  @Test
  void push_perCallCredentials_succeed_andWrongOnesThrowNamingTheRepository() {
    TestRegistry plain = Registries.plainWith("busybox");
    TestRegistry basic = TestRegistry.shared(Variant.BASIC);
    try (Berth berth = engine(Berth.builder().registryMirror(plain.host()))) {
      Image image = berth.pull("busybox");
      String target = basic.host() + "/percall/busybox-" + System.nanoTime() + ":1";
      assertThat(image.push(target, right(basic))).isEqualTo(image.manifestDigest());
      assertThat(berth.pull(target, right(basic), PullListener.NONE).manifestDigest())
          .isEqualTo(image.manifestDigest());
      assertThatThrownBy(() -> image.push(basic.host() + "/percall/denied:1",
          RegistryAuth.password(basic.username(), "wrong-password-10")))
          .isInstanceOf(AuthenticationException.class)
          .hasMessageContaining(basic.host() + "/percall/denied");
    }
  }

  @Test
  void registryAuth_toString_showsNoSecret() {
    assertThat(RegistryAuth.password("alice", "s3cret").toString())
        .isEqualTo("RegistryAuth[user alice]");
    assertThat(RegistryAuth.registryToken("tok3n").toString())
        .isEqualTo("RegistryAuth[registry token]");
    assertThatThrownBy(() -> RegistryAuth.password("alice", ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alice");
  }

  private static Object outcome(java.util.concurrent.Callable<Object> call) {
    try {
      return call.call();
    } catch (Exception e) {
      return e;
    }
  }

  /** A bearer token from the registry's token server, as a client that logged in holds one. */
  private static String fetchToken(TestRegistry r, String scope) throws Exception {
    String url = r.tokenServer().realm() + "?service=" + r.tokenServer().service()
        + "&scope=" + scope;
    String basic = Base64.getEncoder().encodeToString((r.username() + ":" + r.password())
        .getBytes(StandardCharsets.UTF_8));
    try (okhttp3.Response resp = new okhttp3.OkHttpClient().newCall(new okhttp3.Request.Builder()
        .url(url).header("Authorization", "Basic " + basic).build()).execute()) {
      String body = resp.body().string();
      assertThat(resp.code()).as(body).isEqualTo(200);
      return new ObjectMapper().readTree(body).path("token").asText();
    }
  }
}
