package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.AuthenticationException;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.RegistryUnreachableException;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pulls from the real distribution registry in each of its set-ups. */
class PullTest {

  private static ImageRef pushed(TestRegistry r, String repo) {
    return TestImage.get().pushTo(r, repo, "v1");
  }

  private static void assertPulls(RegistryClient client, ImageRef ref) {
    TestImage image = TestImage.get();
    Manifest m = client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(m.digest()).isEqualTo(image.manifestDigest());
    assertThat(m.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    client.fetchBlob(Repository.of(ref), image.layerDigest(), image.layerSize(), layer);
    assertThat(layer.toByteArray()).isEqualTo(image.blob(image.layerDigest()));
  }

  @Test
  void pull_plainRegistry_fetchesManifestAndLayer() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    assertPulls(new RegistryClient(TestImage.configFor(r).build()), pushed(r, "pull/plain"));
  }

  @Test
  void pull_tlsRegistryWithCaInCertsDir_fetchesManifestAndLayer() {
    TestRegistry r = TestRegistry.shared(Variant.TLS);
    assertPulls(new RegistryClient(TestImage.configFor(r).build()), pushed(r, "pull/tls"));
  }

  @Test
  void pull_tlsRegistryWithoutCa_throwsUnreachableSayingHowToAddTheCa() {
    TestRegistry r = TestRegistry.shared(Variant.TLS);
    ImageRef ref = pushed(r, "pull/tls-untrusted");
    RegistryClient client = new RegistryClient(TestImage.configFor(r).certsDirs(List.of()).build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessageContaining("not trusted")
        .hasMessageContaining("/etc/docker/certs.d/" + r.host() + "/ca.crt");
  }

  @Test
  void pull_tlsRegistryMarkedInsecure_skipsVerification() {
    TestRegistry r = TestRegistry.shared(Variant.TLS);
    ImageRef ref = pushed(r, "pull/tls-insecure");
    RegistryClient client = new RegistryClient(TestImage.configFor(r).certsDirs(List.of())
        .insecureRegistries(java.util.Set.of(r.host())).build());
    assertPulls(client, ref);
  }

  @Test
  void pull_basicRegistryWithCredentials_fetchesManifestAndLayer() {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).credentials(r.host(), r.username(), r.password()).build());
    assertPulls(client, pushed(r, "pull/basic"));
  }

  @Test
  void pull_basicRegistryWrongPassword_throwsAuthenticationNamingUserNotSecret() {
    TestRegistry r = TestRegistry.shared(Variant.BASIC);
    ImageRef ref = pushed(r, "pull/basic-wrong");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).credentials(r.host(), r.username(), "wrong-secret-123").build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining(r.host())
        .hasMessageContaining("user " + r.username() + " from explicit configuration")
        .message().doesNotContain("wrong-secret-123");
  }

  @Test
  void pull_tokenRegistryPublicRepoAnonymously_fetchesManifestAndLayer() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    assertPulls(new RegistryClient(TestImage.configFor(r).build()), pushed(r, "library/anon"));
  }

  @Test
  void pull_tokenRegistryWrongPassword_throwsAuthentication() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    ImageRef ref = pushed(r, "private/wrong");
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).credentials(r.host(), r.username(), "nope-nope").build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("user " + r.username());
  }

  @Test
  void pull_unknownTag_throwsImageNotFoundNamingReferenceAndRegistry() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    ImageRef pushedRef = pushed(r, "pull/known");
    ImageRef missing = new ImageRef(r.host(), pushedRef.repository(), "nosuchtag", null);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    assertThatThrownBy(() -> client.fetchManifest(missing, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessage("manifest unknown: " + missing + " not found in " + r.host());
  }

  @Test
  void pull_unknownRepository_throwsImageNotFound() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    ImageRef missing = new ImageRef(r.host(), "pull/never-pushed", "latest", null);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    assertThatThrownBy(() -> client.fetchManifest(missing, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void pull_connectionRefused_throwsUnreachableNamingHostAndPort() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ImageRef ref = new ImageRef("127.0.0.1:" + port, "x/y", "latest", null);
    RegistryClient client = new RegistryClient(RegistryConfig.builder().authFiles(List.of())
        .retry(RetryPolicy.NONE).build());
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("refused");
  }

  @Test
  void headManifest_plainRegistry_returnsDigestWithoutBody() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    ImageRef ref = pushed(r, "pull/head");
    Descriptor d = new RegistryClient(TestImage.configFor(r).build())
        .headManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(d.digest()).isEqualTo(TestImage.get().manifestDigest());
    assertThat(d.size()).isEqualTo(TestImage.get().manifest().length);
  }

  @Test
  void fetchManifest_byDigest_verifiesAndReturnsIt() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    ImageRef ref = pushed(r, "pull/bydigest").withDigest(TestImage.get().manifestDigest());
    Manifest m = new RegistryClient(TestImage.configFor(r).build())
        .fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(m.bytes()).isEqualTo(TestImage.get().manifest());
  }

  @Test
  void fetchBlob_fourThreadsOneClient_allGetTheLayer() throws Exception {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    ImageRef ref = pushed(r, "library/parallel");
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    TestImage image = TestImage.get();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit(() -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          client.fetchBlob(Repository.of(ref), image.layerDigest(), image.layerSize(), out);
          return out.toByteArray();
        }));
      }
      for (var f : results) {
        assertThat(f.get()).isEqualTo(image.blob(image.layerDigest()));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
