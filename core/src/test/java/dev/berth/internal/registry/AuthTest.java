package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.AuthenticationException;
import dev.berth.ImageRef;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import dev.berth.testing.TokenRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where credentials come from and how tokens are reused, against real registries. */
class AuthTest {
  @TempDir Path tmp;
  private final TestImage image = TestImage.get();

  private Path configJson(String json) throws IOException {
    return Files.writeString(tmp.resolve("config.json"), json);
  }

  private static String auth(String user, String password) {
    return Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tokens_manifestAndTwoBlobs_oneTokenRequestPerScope() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    ImageRef ref = image.pushTo(r, "library/cached", "v1");
    r.tokenServer().clearRequests();
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    client.fetchBlob(Repository.of(ref), image.configDigest(), -1, new ByteArrayOutputStream());
    client.fetchBlob(Repository.of(ref), image.layerDigest(), -1, new ByteArrayOutputStream());
    assertThat(r.tokenServer().requests()).extracting(TokenRequest::scopes)
        .containsExactly(List.of("repository:library/cached:pull"));
  }

  @Test
  void configJson_base64AuthUnderUrlKey_authenticates() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/configjson", "v1");
    Path config = configJson("{\"auths\":{\"http://" + r.host() + "/v1/\":{\"auth\":\""
        + auth(r.username(), r.password()) + "\"}}}");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).authFiles(List.of(config)).build());
    assertThat(client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS).digest())
        .isEqualTo(image.manifestDigest());
  }

  @Test
  void configJson_wrongPassword_throwsAuthenticationNamingUserAndFile() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/configjson-wrong", "v1");
    Path config = configJson("{\"auths\":{\"" + r.host() + "\":{\"username\":\"" + r.username()
        + "\",\"password\":\"bad-password-9\"}}}");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).authFiles(List.of(config)).build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("user " + r.username() + " from " + config)
        .message().doesNotContain("bad-password-9");
  }

  @Test
  void configJson_malformed_throwsRegistryExceptionNamingFile() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/malformed", "v1");
    Path config = configJson("{\"auths\": {");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).authFiles(List.of(config)).build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(config.toString());
  }

  @Test
  void credHelper_namedForRegistry_isAskedWithServerUrlAndAuthenticates() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/helper", "v1");
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path asked = tmp.resolve("asked");
    Path helper = bin.resolve("docker-credential-test");
    Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 1\ncat > " + asked + "\n"
        + "printf '{\"ServerURL\":\"x\",\"Username\":\"" + r.username() + "\",\"Secret\":\""
        + r.password() + "\"}'\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = configJson("{\"credHelpers\":{\"" + r.host() + "\":\"test\"}}");
    RegistryClient client = new RegistryClient(TestImage.configFor(r)
        .authFiles(List.of(config)).helperDirs(List.of(bin)).build());
    client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(Files.readString(asked)).isEqualTo(r.host());
  }

  @Test
  void credHelper_missingProgram_throwsAuthenticationNamingIt() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/nohelper", "v1");
    Path config = configJson("{\"credsStore\":\"absent\"}");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).authFiles(List.of(config)).build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("docker-credential-absent")
        .hasMessageContaining(config.toString());
  }

  @Test
  void explicitCredentials_overrideConfigJson() throws IOException {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = image.pushTo(r, "auth/explicit", "v1");
    Path config = configJson("{\"auths\":{\"" + r.host() + "\":{\"auth\":\""
        + auth(r.username(), "stale") + "\"}}}");
    RegistryClient client = new RegistryClient(TestImage.configFor(r).authFiles(List.of(config))
        .credentials(r.host(), r.username(), r.password()).build());
    assertThat(client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS).digest())
        .isEqualTo(image.manifestDigest());
  }
}
