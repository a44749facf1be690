package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.ImageNotFoundException;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker.io mirrors and tag listing, against the real registry. */
class MirrorAndTagsTest {
  private final TestImage image = TestImage.get();

  @Test
  void dockerHubReference_withMirror_isServedByTheMirror() {
    TestRegistry mirror = TestRegistry.shared(Variant.PLAIN);
    image.pushTo(mirror, "library/mirrored", "v1");
    RegistryClient client = new RegistryClient(TestImage.configFor(mirror)
        .mirrors(List.of(mirror.url().toString())).build());
    ImageRef ref = new ImageRef("docker.io", "library/mirrored", "v1", null);
    assertThat(client.fetchManifest(ref, MediaTypes.ACCEPT_MANIFESTS).digest())
        .isEqualTo(image.manifestDigest());
  }

  @Test
  void dockerHubReference_firstMirrorDown_fallsBackToTheNext() throws Exception {
    TestRegistry mirror = TestRegistry.shared(Variant.PLAIN);
    image.pushTo(mirror, "library/mirrored2", "v1");
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    RecordingListener events = new RecordingListener();
    RegistryClient client = new RegistryClient(TestImage.configFor(mirror).listener(events)
        .mirrors(List.of("http://127.0.0.1:" + deadPort, mirror.url().toString())).build());
    client.fetchManifest(new ImageRef("docker.io", "library/mirrored2", "v1", null),
        MediaTypes.ACCEPT_MANIFESTS);
    assertThat(events.fallbacks).containsExactly(
        "http://127.0.0.1:" + deadPort + "/ -> " + mirror.url() + "/");
  }

  @Test
  void listTags_pagesOfTwo_followsLinkToGetAll() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    for (String tag : List.of("a1", "b2", "c3")) {
      image.pushTo(r, "tags/paged", tag);
    }
    List<String> tags = new RegistryClient(TestImage.configFor(r).build())
        .listTags(new Repository(r.host(), "tags/paged"), 2);
    // three tags from pages of two: the Link to the second page was followed
    assertThat(tags).containsExactlyInAnyOrder("a1", "b2", "c3");
  }

  @Test
  void listTags_unknownRepository_throwsImageNotFound() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    assertThatThrownBy(() -> client.listTags(new Repository(r.host(), "tags/none"), 0))
        .isInstanceOf(ImageNotFoundException.class)
        .hasMessageContaining("tags/none");
  }
}
