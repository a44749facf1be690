package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.DigestMismatchException;
import dev.berth.ImageRef;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.util.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Misbehaviour the real registry never shows (wrong digest headers, huge manifests, token
 * servers without tokens, redirects), served by a small in-process HTTP server.
 */
class MisbehavingRegistryTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  // one server and client for the class: the client's first request pays for the https probe
  private static HttpServer server;
  private static RegistryClient client;
  private static String host;
  private final List<String> contexts = new java.util.ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", ex -> reply(ex, 200, new byte[0]));
    server.start();
    host = "127.0.0.1:" + server.getAddress().getPort();
    client = new RegistryClient(RegistryConfig.builder().authFiles(List.of())
        .helperDirs(List.of()).retry(RetryPolicy.NONE).build());
    client.ping(host);
  }

  @AfterEach
  void removeContexts() {
    contexts.forEach(server::removeContext);
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private void serve(String path, int status, byte[] body, String... headers) {
    context(path, ex -> reply(ex, status, body, headers));
  }

  private void context(String path, com.sun.net.httpserver.HttpHandler handler) {
    server.createContext(path, handler);
    contexts.add(path);
  }

  private static void reply(HttpExchange ex, int status, byte[] body, String... headers)
      throws IOException {
    for (int i = 0; i < headers.length; i += 2) {
      ex.getResponseHeaders().add(headers[i], headers[i + 1]);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private ImageRef ref() {
    return new ImageRef(host, "bad/repo", "v1", null);
  }

  @Test
  void fetchManifest_wrongDockerContentDigest_throwsDigestMismatch() {
    serve("/v2/bad/repo/manifests/v1", 200, MANIFEST,
        "Content-Type", MediaTypes.OCI_MANIFEST, "Docker-Content-Digest", "sha256:" + "0".repeat(64));
    assertThatThrownBy(() -> client.fetchManifest(ref(), MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("sha256:" + "0".repeat(64));
  }

  @Test
  void fetchManifest_byDigestButOtherBytes_throwsDigestMismatch() {
    String wanted = "sha256:" + "a".repeat(64);
    serve("/v2/bad/repo/manifests/" + wanted, 200, MANIFEST, "Content-Type", MediaTypes.OCI_MANIFEST);
    ImageRef byDigest = new ImageRef(host, "bad/repo", null, dev.berth.Digest.parse(wanted));
    assertThatThrownBy(() -> client.fetchManifest(byDigest, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void fetchManifest_over4MiB_throwsRegistryExceptionNamingTheLimit() {
    serve("/v2/bad/repo/manifests/v1", 200, new byte[5 << 20], "Content-Type", MediaTypes.OCI_MANIFEST);
    assertThatThrownBy(() -> client.fetchManifest(ref(), MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("limit");
  }

  @Test
  void fetchManifest_500_throwsRegistryExceptionWithRegistryError() {
    serve("/v2/bad/repo/manifests/v1", 500,
        "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"disk on fire\"}]}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> client.fetchManifest(ref(), MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("500")
        .hasMessageContaining("UNKNOWN: disk on fire");
  }

  @Test
  void tokenServer_answerWithoutToken_throwsRegistryExceptionNamingRealm() {
    String realm = "http://" + host + "/token";
    serve("/v2/bad/repo/manifests/v1", 401, new byte[0],
        "WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"fake\"");
    serve("/token", 200, "{\"expires_in\":60}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> client.fetchManifest(ref(), MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining(realm)
        .hasMessageContaining("without a token");
  }

  @Test
  void tokenServer_accessTokenField_isAcceptedAndSent() {
    String realm = "http://" + host + "/token";
    context("/v2/bad/repo/manifests/v1", ex -> {
      boolean authorised = "Bearer t0k".equals(ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, authorised ? 200 : 401, authorised ? MANIFEST : new byte[0],
          "Content-Type", MediaTypes.OCI_MANIFEST,
          "WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
    });
    serve("/token", 200, "{\"access_token\":\"t0k\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(client.fetchManifest(ref(), MediaTypes.ACCEPT_MANIFESTS).bytes()).isEqualTo(MANIFEST);
  }

  @Test
  void fetchBlob_redirectElsewhere_isFollowed() {
    byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
    dev.berth.Digest d = Hashes.sha256(blob);
    serve("/v2/bad/repo/blobs/" + d, 307, new byte[0], "Location", "/storage/xyz");
    serve("/storage/xyz", 200, blob);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.fetchBlob(new Repository(host, "bad/repo"), d, blob.length, out);
    assertThat(out.toByteArray()).isEqualTo(blob);
  }

  @Test
  void fetchBlob_longerThanAnnounced_throwsDigestMismatch() {
    byte[] blob = "layer".getBytes(StandardCharsets.UTF_8);
    dev.berth.Digest d = Hashes.sha256(blob);
    serve("/v2/bad/repo/blobs/" + d, 200, blob);
    assertThatThrownBy(() -> client.fetchBlob(new Repository(host, "bad/repo"), d, 3,
        new ByteArrayOutputStream()))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("more than the expected 3 bytes");
  }
}
