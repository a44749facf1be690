package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.DigestMismatchException;
import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.RegistryException;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a proxy that corrupts, truncates and refuses, in front of a real registry. */
class FaultTest {
  // one proxy and client for the class: the first request pays for the https probe
  private static final RecordingListener events = new RecordingListener();
  private static TestImage image;
  private static FaultProxy proxy;
  private static RegistryClient client;
  private static ImageRef ref;

  @BeforeAll
  static void start() {
    image = TestImage.get();
    TestRegistry registry = TestRegistry.shared(Variant.PLAIN);
    ImageRef upstream = image.pushTo(registry, "fault/image", "v1");
    proxy = FaultProxy.start(registry);
    ref = new ImageRef(proxy.host(), upstream.repository(), upstream.tag(), null);
    client = new RegistryClient(TestImage.configFor(registry).listener(events).build());
    client.ping(proxy.host()); // settles https-vs-http before any fault is armed
  }

  @BeforeEach
  void reset() {
    proxy.clearFaults();
    proxy.clearRequests();
    events.clear();
  }

  @AfterAll
  static void stop() {
    if (proxy != null) {
      proxy.close();
    }
  }

  private byte[] fetchLayer() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.fetchBlob(Repository.of(ref), image.layerDigest(), image.layerSize(), out);
    return out.toByteArray();
  }

  @Test
  void fetchBlob_proxyFlipsAByte_throwsDigestMismatch() {
    proxy.corruptNextBlobs(1);
    assertThatThrownBy(this::fetchLayer)
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(image.layerDigest().toString());
  }

  @Test
  void fetchBlob_connectionCutMidway_resumesWithRange() {
    proxy.truncateNextBlob(100_000);
    assertThat(fetchLayer()).isEqualTo(image.blob(image.layerDigest()));
    assertThat(proxy.requests()).anyMatch(r -> "bytes=100000-".equals(r.range()));
    assertThat(events.resumes).containsExactly(
        new RecordingListener.Resume(image.layerDigest().toString(), 100_000, true));
  }

  @Test
  void fetchManifest_503Twice_retriesAndSucceeds() {
    proxy.failNext(2, 503);
    Manifest m = client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(m.digest()).isEqualTo(image.manifestDigest());
    assertThat(events.retries).extracting(RecordingListener.Retry::attempt).containsExactly(1, 2);
  }

  @Test
  void fetchManifest_retryAfterLongerThanCap_waitsOnlyTheCap() {
    proxy.failNext(1, 429, Duration.ofSeconds(30));
    client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS);
    assertThat(events.retries).extracting(RecordingListener.Retry::delay)
        .containsExactly(Duration.ofMillis(200));
  }

  @Test
  void fetchManifest_503EveryTime_givesUpWithRegistryError() {
    proxy.failNext(10, 503);
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("503")
        .hasMessageContaining("UNAVAILABLE: injected by FaultProxy");
    assertThat(proxy.requests()).hasSize(3);
  }

  @Test
  void fetchManifest_404_isNotRetried() {
    proxy.failNext(1, 404);
    assertThatThrownBy(() -> client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS))
        .isInstanceOf(ImageNotFoundException.class);
    assertThat(events.retries).isEmpty();
    assertThat(proxy.requests()).hasSize(1);
  }
}
