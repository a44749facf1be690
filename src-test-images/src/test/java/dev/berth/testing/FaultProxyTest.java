package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.testing.TestRegistry.Variant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
  private static final byte[] BLOB = Tools.random(100_000);
  private static String digest;
  private FaultProxy proxy;

  @BeforeAll
  static void pushBlob() throws Exception {
    assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
    digest = Tools.pushBlob(TestRegistry.shared(Variant.PLAIN).url(), "proxy/test", BLOB);
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start(TestRegistry.shared(Variant.PLAIN));
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private URI blobUri() {
    return proxy.url().resolve("/v2/proxy/test/blobs/" + digest);
  }

  @Test
  void get_withoutFaults_passesTheBlobThroughIntact() throws Exception {
    assertThat(Tools.sha256(Tools.get(blobUri()).body())).isEqualTo(digest);
  }

  @Test
  void corruptNextBlobs_flipsOneByte() throws Exception {
    proxy.corruptNextBlobs(1);
    byte[] body = Tools.get(blobUri()).body();
    assertThat(body).hasSameSizeAs(BLOB);
    assertThat(Tools.sha256(body)).isNotEqualTo(digest);
    assertThat(differences(body, BLOB)).isEqualTo(1);
  }

  @Test
  void corruptNextBlobs_one_leavesTheSecondIntact() throws Exception {
    proxy.corruptNextBlobs(1);
    Tools.get(blobUri());
    assertThat(Tools.sha256(Tools.get(blobUri()).body())).isEqualTo(digest);
  }

  @Test
  void truncateNextBlob_cutsTheConnectionAfterThatManyBytes() throws Exception {
    proxy.truncateNextBlob(30_000);
    assertThat(readUntilCut(blobUri())).hasSize(30_000);
  }

  @Test
  void truncateNextBlob_rangedRequestCompletesTheBlob() throws Exception {
    proxy.truncateNextBlob(30_000);
    byte[] head = readUntilCut(blobUri());
    HttpResponse<byte[]> rest = Tools.get(blobUri(), "Range", "bytes=" + head.length + "-");
    assertThat(rest.statusCode()).isEqualTo(206);
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.write(head);
    whole.write(rest.body());
    assertThat(Tools.sha256(whole.toByteArray())).isEqualTo(digest);
  }

  @Test
  void failNext_answersThatStatusWithRetryAfterThenRecovers() throws Exception {
    proxy.failNext(1, 503, Duration.ofSeconds(2));
    HttpResponse<byte[]> failed = Tools.get(blobUri());
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(Tools.get(blobUri()).statusCode()).isEqualTo(200);
  }

  @Test
  void failNext_429_answersTooManyRequests() throws Exception {
    proxy.failNext(2, 429);
    assertThat(Tools.get(blobUri()).statusCode()).isEqualTo(429);
    assertThat(Tools.get(blobUri()).statusCode()).isEqualTo(429);
  }

  @Test
  void requests_recordMethodPathRangeAndAuthorization() throws Exception {
    Tools.get(blobUri(), "Range", "bytes=10-", "Authorization", "Bearer x");
    Tools.HTTP.send(HttpRequest.newBuilder(proxy.url().resolve("/v2/")).method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.discarding());
    assertThat(proxy.requests()).containsExactly(
        new FaultProxy.Request("GET", "/v2/proxy/test/blobs/" + digest, "bytes=10-", true),
        new FaultProxy.Request("HEAD", "/v2/", null, false));
  }

  @Test
  void skopeo_pushAndInspectThroughTheProxy_work() {
    assumeTrue(Tools.has("skopeo") && Tools.has("umoci"), "needs skopeo and umoci (Debian packages)");
    Tools.Result push = Tools.push(proxy.host(), "proxy/tiny", List.of("--dest-tls-verify=false"));
    assertThat(push.exitCode()).as(push.output()).isZero();
    Tools.Result inspect = Tools.inspect(proxy.host(), "proxy/tiny", List.of("--tls-verify=false"));
    assertThat(inspect.output().trim()).isEqualTo(Tools.tinyManifest());
  }

  @Test
  void start_tlsTarget_throwsSayingToUsePlain() {
    assertThatThrownBy(() -> FaultProxy.start(TestRegistry.shared(Variant.TLS)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start the target as PLAIN");
  }

  @Test
  void failNext_zeroCount_throws() {
    assertThatThrownBy(() -> proxy.failNext(0, 503)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failNext count must be positive, was 0");
  }

  @Test
  void failNext_successStatus_throws() {
    assertThatThrownBy(() -> proxy.failNext(1, 200)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("400-599");
  }

  @Test
  void corruptNextBlobs_negativeCount_throws() {
    assertThatThrownBy(() -> proxy.corruptNextBlobs(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("corruptNextBlobs count must be positive");
  }

  @Test
  void truncateNextBlob_negative_throws() {
    assertThatThrownBy(() -> proxy.truncateNextBlob(-5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }

  /** Reads a response body until the connection drops, returning what arrived. */
  private static byte[] readUntilCut(URI uri) throws Exception {
    HttpResponse<InputStream> response = Tools.HTTP.send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try (InputStream in = response.body()) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        got.write(buf, 0, n);
      }
      throw new AssertionError("the body was not cut: got all " + got.size() + " bytes");
    } catch (IOException expected) {
      return got.toByteArray();
    }
  }

  private static int differences(byte[] a, byte[] b) {
    int count = 0;
    for (int i = 0; i < a.length; i++) {
      count += a[i] != b[i] ? 1 : 0;
    }
    return count;
  }
}
