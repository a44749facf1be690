package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.Berth;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server answers to bad requests: Docker's status codes and {@code {"message"}}, and
 * nothing changed in the engine. No container is run here, so it needs no root.
 */
class ApiProtocolTest {
  @TempDir static Path dir;
  static Berth berth;
  static DockerApi api;
  static Path socket;

  @BeforeAll
  static void serve() {
    berth = Berth.builder().home(dir.resolve("home")).build();
    socket = dir.resolve("api.sock");
    api = DockerApi.serve(berth, socket);
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

  private static RawHttp.Response post(String path, String json) throws Exception {
    byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return RawHttp.send(socket, "POST " + path + " HTTP/1.1\r\nHost: docker\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json);
  }

  private static RawHttp.Response get(String path) throws Exception {
    return RawHttp.send(socket, "GET " + path + " HTTP/1.1\r\nHost: docker\r\n\r\n");
  }

  @Test
  void socket_isOnlyForItsOwner() throws Exception {
    assertThat(java.nio.file.Files.getPosixFilePermissions(socket))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void ping_head_carriesTheApiVersion() throws Exception {
    RawHttp.Response r = RawHttp.send(socket, "HEAD /_ping HTTP/1.1\r\nHost: d\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers()).containsIgnoringCase("Api-Version: 1.47")
        .containsIgnoringCase("Ostype: linux");
  }

  @Test
  void versionPrefix_tooNew_isA400NamingTheMaximum() throws Exception {
    RawHttp.Response r = get("/v1.99/version");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("\"message\"").contains("Maximum supported API version is 1.47");
  }

  @Test
  void versionPrefix_tooOld_isA400NamingTheMinimum() throws Exception {
    assertThat(get("/v1.12/version").status()).isEqualTo(400);
    assertThat(get("/v1.24/version").status()).isEqualTo(200);
  }

  @Test
  void unknownPath_is404_andWrongMethod_is405() throws Exception {
    assertThat(get("/v1.44/nothing/here").status()).isEqualTo(404);
    assertThat(RawHttp.send(socket, "PUT /_ping HTTP/1.1\r\nHost: d\r\nContent-Length: 0\r\n\r\n")
        .status()).isEqualTo(405);
  }

  @Test
  void create_malformedJson_is400_andCreatesNothing() throws Exception {
    int before = berth.containers(true).size();
    RawHttp.Response r = post("/v1.44/containers/create", "{\"Image\": \"busybox\", ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("malformed JSON");
    assertThat(berth.containers(true)).hasSize(before);
  }

  @Test
  void create_withoutImage_is400() throws Exception {
    RawHttp.Response r = post("/v1.44/containers/create", "{\"Cmd\": [\"true\"]}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("Image is required");
  }

  @Test
  void create_unknownImage_is404_soTheCliPulls() throws Exception {
    RawHttp.Response r = post("/v1.44/containers/create", "{\"Image\": \"not-here:1\"}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).contains("No such image: not-here:1");
  }

  @Test
  void create_unsupportedField_is400_namingIt() throws Exception {
    RawHttp.Response r = post("/v1.44/containers/create",
        "{\"Image\": \"busybox\", \"HostConfig\": {\"Devices\": [{\"PathOnHost\": \"/dev/kvm\"}]}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("HostConfig.Devices");
  }

  @Test
  void hugeJsonBody_is413() throws Exception {
    String big = "{\"Image\": \"" + "a".repeat(9 << 20) + "\"}";
    RawHttp.Response r = post("/v1.44/containers/create", big);
    assertThat(r.status()).isEqualTo(413);
  }

  @Test
  void malformedRequestLine_is400() throws Exception {
    RawHttp.Response r = RawHttp.send(socket, "GARBAGE\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void archive_ofAMissingPath_is404WithDockersWords_notA500() throws Exception {
    dev.berth.testing.TestRegistry registry = dev.berth.testsupport.Registries.plainWith("busybox");
    dev.berth.Image busybox = berth.pull(registry.host() + "/library/busybox:latest");
    try (dev.berth.Container c = busybox.run(dev.berth.RunOptions.builder()
        .command("sleep", "30").detach(true).build())) {
      RawHttp.Response file = get("/v1.44/containers/" + c.id() + "/archive?path=/nope");
      assertThat(file.status()).isEqualTo(404);
      assertThat(file.body()).contains("Could not find the file /nope in container " + c.name());
      RawHttp.Response dir = get("/v1.44/containers/" + c.id() + "/archive?path=/nope/deeper");
      assertThat(dir.status()).isEqualTo(404);
      c.remove(true);
    }
  }

  @Test
  void unknownContainer_is404WithDockersWords() throws Exception {
    RawHttp.Response r = get("/v1.44/containers/nope/json");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"message\":\"No such container: nope\"}");
  }

  @Test
  void pull_malformedRegistryAuth_is400NamingTheHeader_andPullsNothing() throws Exception {
    for (String header : new String[] {"%%%not-base64", "bm90IGpzb24", "WyJhbiBhcnJheSJd"}) {
      RawHttp.Response r = RawHttp.send(socket, "POST /v1.47/images/create?fromImage=busybox"
          + "&tag=latest HTTP/1.1\r\nHost: d\r\nX-Registry-Auth: " + header
          + "\r\nContent-Length: 0\r\n\r\n");
      assertThat(r.status()).as(header).isEqualTo(400);
      assertThat(r.body()).as(header).contains("invalid X-Registry-Auth");
    }
    assertThat(berth.images()).isEmpty();
  }

  @Test
  void pull_registryAuthWithABadAuthValue_is400NamingTheHeader() throws Exception {
    String auth = java.util.Base64.getUrlEncoder().encodeToString(
        "{\"auth\":\"not base64 of a pair\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RawHttp.Response r = RawHttp.send(socket, "POST /v1.47/images/create?fromImage=busybox"
        + " HTTP/1.1\r\nHost: d\r\nX-Registry-Auth: " + auth + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("invalid X-Registry-Auth").contains("auth value");
  }

  @Test
  void build_malformedRegistryConfig_is400NamingTheHeader() throws Exception {
    RawHttp.Response r = RawHttp.send(socket, "POST /v1.47/build HTTP/1.1\r\nHost: d\r\n"
        + "X-Registry-Config: e30K!!\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("invalid X-Registry-Config");
  }

  @Test
  void build_registryConfigWithAnIdentityTokenOnly_leavesThatEntryOut() throws Exception {
    // an unusable login of another registry is no reason to fail the build: it goes on to the
    // context, which is missing here (a 400 about the Dockerfile, not the header)
    String config = java.util.Base64.getUrlEncoder().encodeToString(
        "{\"elsewhere.example\":{\"identitytoken\":\"refresh-me\"}}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RawHttp.Response r = RawHttp.send(socket, "POST /v1.47/build HTTP/1.1\r\nHost: d\r\n"
        + "X-Registry-Config: " + config + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.body()).doesNotContain("X-Registry-Config");
  }

  @Test
  void pull_registryAuthWithAnIdentityTokenOnly_is400SayingWhy() throws Exception {
    String auth = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"identitytoken\":\"refresh-me\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RawHttp.Response r = RawHttp.send(socket, "POST /v1.47/images/create?fromImage=busybox"
        + " HTTP/1.1\r\nHost: d\r\nX-Registry-Auth: " + auth + "\r\nContent-Length: 0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("identity token").contains("user name and password");
  }

  @Test
  void auth_withoutCredentials_is400() throws Exception {
    RawHttp.Response r = post("/v1.47/auth", "{\"serveraddress\":\"127.0.0.1:1\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("a login needs a username and password");
  }

  @Test
  void badFilter_is400() throws Exception {
    assertThat(get("/v1.44/containers/json?filters=%7Bnot-json").status()).isEqualTo(400);
    assertThat(get("/v1.44/containers/json?filters=%7B%22colour%22%3A%5B%22red%22%5D%7D")
        .status()).isEqualTo(400);
  }
}
