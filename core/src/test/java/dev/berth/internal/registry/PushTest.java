package dev.berth.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.AuthenticationException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.util.Hashes;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.TestRegistry;
import dev.berth.testing.TestRegistry.Variant;
import org.junit.jupiter.api.Test;

/** Pushes with the client, reads back with skopeo. */
class PushTest {
  private final TestImage image = TestImage.get();

  private void pushImage(RegistryClient client, ImageRef ref, Repository mountFrom) {
    Repository repo = Repository.of(ref);
    for (Digest d : new Digest[] {image.configDigest(), image.layerDigest()}) {
      byte[] blob = image.blob(d);
      client.pushBlob(repo, d, blob.length, BlobSource.of(blob), mountFrom);
    }
    client.putManifest(ref, image.manifest(), MediaTypes.OCI_MANIFEST);
  }

  @Test
  void push_tokenRegistryWithCredentials_skopeoReadsBackSameDigest() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).credentials(r.host(), r.username(), r.password()).build());
    ImageRef ref = new ImageRef(r.host(), "push/token", "v1", null);
    pushImage(client, ref, null);
    byte[] raw = TestImage.skopeoRawManifest(r, ref);
    assertThat(Hashes.sha256(raw)).isEqualTo(image.manifestDigest());
  }

  @Test
  void push_tokenRegistryAnonymously_throwsAuthentication() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    byte[] config = image.blob(image.configDigest());
    assertThatThrownBy(() -> client.pushBlob(new Repository(r.host(), "push/anon"),
        image.configDigest(), config.length, BlobSource.of(config), null))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("no credentials");
  }

  @Test
  void pushBlob_biggerThanChunkSize_uploadsInPatchChunks() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    try (FaultProxy proxy = FaultProxy.start(r)) {
      RegistryClient client = new RegistryClient(
          TestImage.configFor(r).uploadChunkSize(64 * 1024).build());
      Repository repo = new Repository(proxy.host(), "push/chunked");
      byte[] layer = image.blob(image.layerDigest());
      PushResult result = client.pushBlob(repo, image.layerDigest(), layer.length,
          BlobSource.of(layer), null);
      assertThat(result).isEqualTo(PushResult.UPLOADED);
      assertThat(proxy.requests()).filteredOn(q -> q.method().equals("PATCH")).hasSize(5);
      assertThat(client.blobExists(repo, image.layerDigest())).isTrue();
    }
  }

  @Test
  void pushBlob_secondRepositoryWithMountFrom_mountsInsteadOfUploading() {
    TestRegistry r = TestRegistry.shared(Variant.TOKEN);
    RegistryClient client = new RegistryClient(
        TestImage.configFor(r).credentials(r.host(), r.username(), r.password()).build());
    Repository first = new Repository(r.host(), "push/mount-a");
    Repository second = new Repository(r.host(), "push/mount-b");
    byte[] layer = image.blob(image.layerDigest());
    client.pushBlob(first, image.layerDigest(), layer.length, BlobSource.of(layer), null);
    PushResult result = client.pushBlob(second, image.layerDigest(), layer.length,
        BlobSource.of(layer), first);
    assertThat(result).isEqualTo(PushResult.MOUNTED);
    assertThat(client.blobExists(second, image.layerDigest())).isTrue();
  }

  @Test
  void pushBlob_alreadyThere_sendsNothing() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    ImageRef ref = image.pushTo(r, "push/existing", "v1");
    byte[] layer = image.blob(image.layerDigest());
    PushResult result = new RegistryClient(TestImage.configFor(r).build()).pushBlob(
        Repository.of(ref), image.layerDigest(), layer.length, BlobSource.of(layer), null);
    assertThat(result).isEqualTo(PushResult.EXISTED);
  }

  @Test
  void pushBlob_bytesNotMatchingDigest_throwsDigestMismatch() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    byte[] wrong = "not the config".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    assertThatThrownBy(() -> client.pushBlob(new Repository(r.host(), "push/wrong"),
        image.configDigest(), wrong.length, BlobSource.of(wrong), null))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(image.configDigest().toString());
  }

  @Test
  void pushBlob_mountSourceLacksBlob_uploadsInTheOfferedSession() {
    TestRegistry r = TestRegistry.shared(Variant.PLAIN);
    RegistryClient client = new RegistryClient(TestImage.configFor(r).build());
    Repository target = new Repository(r.host(), "push/mount-miss");
    byte[] config = image.blob(image.configDigest());
    PushResult result = client.pushBlob(target, image.configDigest(), config.length,
        BlobSource.of(config), new Repository(r.host(), "push/never-had-it"));
    assertThat(result).isEqualTo(PushResult.UPLOADED);
    assertThat(client.blobExists(target, image.configDigest())).isTrue();
  }
}
