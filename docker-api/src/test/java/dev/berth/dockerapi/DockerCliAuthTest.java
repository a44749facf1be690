package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker login}, then {@code pull} and {@code push} with the login the CLI stored, through
 * Berth's API against the real registry with htpasswd. The engine itself has no credentials:
 * whatever reaches the registry came in {@code X-Registry-Auth}. Each CLI has a config
 * directory of its own, so one is logged in and one never is.
 */
class DockerCliAuthTest {
  @TempDir static Path dir;
  static Berth berth;
  static DockerApi api;
  static TestRegistry basic;
  static DockerCli loggedIn;
  static DockerCli anonymous;

  @BeforeAll
  static void serve() {
    TestRegistry plain = Registries.plainWith("busybox");
    basic = TestRegistry.shared(TestRegistry.Variant.BASIC);
    for (String repo : new String[] {"busybox", "base-logged-in", "base-anonymous"}) {
      TestImages.push("busybox", basic.host() + "/private/" + repo + ":latest",
          basic.skopeoDestArgs());
    }
    berth = Berth.builder().home(dir.resolve("home")).registryMirror(plain.host())
        .dockerConfig(dir.resolve("engine-has-no-config.json")).build();
    api = DockerApi.serve(berth, dir.resolve("docker.sock"));
    loggedIn = new DockerCli(api.dockerHost(), dir.resolve("logged-in"));
    anonymous = new DockerCli(api.dockerHost(), dir.resolve("anonymous"));
    DockerCli.Result login = login(loggedIn, basic.password());
    assertThat(login.exitCode()).as(login.toString()).isZero();
  }

  @AfterAll
  static void close() {
    if (api != null) {
      api.close();
    }
    if (berth != null) {
      berth.close();
    }
  }

  private static DockerCli.Result login(DockerCli cli, String password) {
    return cli.runWithInput(password + "\n", "login", basic.host(), "-u", basic.username(),
        "--password-stdin");
  }

  @Test
  void login_rightPassword_succeeds_andTheCliStoresTheLogin() throws Exception {
    DockerCli.Result r = login(loggedIn, basic.password());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Login Succeeded");
    assertThat(Files.readString(dir.resolve("logged-in/config.json"))).contains(basic.host());
  }

  @Test
  void login_wrongPassword_failsWithTheRegistrysRefusal_andStoresNothing() {
    DockerCli wrong = new DockerCli(api.dockerHost(), dir.resolve("wrong-password"));
    DockerCli.Result r = login(wrong, "wrong-password-11");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains("Error response from daemon")
        .contains("registry " + basic.host() + " refused user " + basic.username())
        .contains("check the user name and password")
        .doesNotContain("wrong-password-11");
    assertThat(dir.resolve("wrong-password/config.json")).satisfiesAnyOf(
        p -> assertThat(p).doesNotExist(),
        p -> assertThat(Files.readString(p)).doesNotContain(basic.host()));
  }

  @Test
  void pull_afterLogin_usesTheStoredLogin() {
    DockerCli.Result r = loggedIn.run("pull", basic.host() + "/private/busybox");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Status: ").contains(basic.host() + "/private/busybox:latest");
    assertThat(berth.image(basic.host() + "/private/busybox").manifestDigest()).isNotNull();
  }

  @Test
  void pull_withoutLogin_failsSayingToLogIn() {
    DockerCli.Result r = anonymous.run("pull", basic.host() + "/private/busybox");
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains(basic.host() + "/private/busybox")
        .contains("refused anonymous access").contains("docker login " + basic.host());
  }

  @Test
  void push_afterLogin_putsTheImageInTheRegistry() throws Exception {
    String ref = basic.host() + "/private/pushed:1";
    loggedIn.ok("pull", "busybox");
    loggedIn.ok("tag", "busybox", ref);
    DockerCli.Result r = loggedIn.run("push", ref);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).containsPattern("1: digest: sha256:[0-9a-f]{64}");
    assertThat(registryStatus("/v2/private/pushed/manifests/1")).isEqualTo(200);
  }

  @Test
  void push_withoutLogin_failsWithTheAuthenticationMessage() throws Exception {
    String ref = basic.host() + "/private/anonymous-push:1";
    anonymous.ok("pull", "busybox");
    anonymous.ok("tag", "busybox", ref);
    DockerCli.Result r = anonymous.run("push", ref);
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr() + r.stdout()).contains("refused no credentials (anonymous)")
        .contains("docker login " + basic.host());
    assertThat(registryStatus("/v2/private/anonymous-push/manifests/1")).isEqualTo(404);
  }

  @Test
  void build_afterLogin_pullsTheFromImageWithTheStoredLogin() throws Exception {
    // the build's own FROM pull: nothing has pulled this repository before
    DockerCli.Result r = loggedIn.run("build", "-t", "built-on-private:1",
        context("logged-in", basic.host() + "/private/base-logged-in").toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(loggedIn.ok("images", "-q", "built-on-private:1")).isNotBlank();
  }

  @Test
  void build_withoutLogin_failsSayingToLogIn() throws Exception {
    DockerCli.Result r = anonymous.run("build", "-t", "built-anonymously:1",
        context("anonymous", basic.host() + "/private/base-anonymous").toString());
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr() + r.stdout()).contains(basic.host() + "/private/base-anonymous")
        .contains("docker login " + basic.host());
  }

  @Test
  void pull_rawRequestWithUnpaddedStandardBase64Auth_pulls() throws Exception {
    String json = "{\"username\":\"" + basic.username() + "\",\"password\":\""
        + basic.password() + "\"}";
    // the standard alphabet without padding: what some clients send
    String header = Base64.getEncoder().withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    RawHttp.Response r = RawHttp.send(api.socket().orElseThrow(),
        "POST /v1.47/images/create?fromImage=" + basic.host() + "/private/busybox&tag=latest"
            + " HTTP/1.1\r\nHost: d\r\nX-Registry-Auth: " + header
            + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("Status: ").doesNotContain("\"error\"");
  }

  @Test
  void auth_rawLogin_answersDockersDocument() throws Exception {
    String json = "{\"username\":\"" + basic.username() + "\",\"password\":\""
        + basic.password() + "\",\"serveraddress\":\"" + basic.host() + "\"}";
    RawHttp.Response r = RawHttp.send(api.socket().orElseThrow(),
        "POST /v1.47/auth HTTP/1.1\r\nHost: d\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + json.length() + "\r\n\r\n" + json);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"Status\":\"Login Succeeded\",\"IdentityToken\":\"\"}");
  }

  /** A build context whose Dockerfile starts {@code FROM from} and runs a command. */
  private static Path context(String name, String from) throws Exception {
    Path ctx = Files.createDirectories(dir.resolve("context-" + name));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + from + "\nCMD [\"true\"]\n");
    return ctx;
  }

  /** What the registry answers the test's own authenticated GET. */
  private static int registryStatus(String path) throws Exception {
    String credentials = Base64.getEncoder().encodeToString((basic.username() + ":"
        + basic.password()).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://" + basic.host() + path))
        .header("Authorization", "Basic " + credentials)
        .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json").build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
