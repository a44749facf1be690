package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.PullProgress.Status;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.registry.BlobSource;
import dev.berth.internal.registry.RegistryClient;
import dev.berth.internal.registry.RegistryConfig;
import dev.berth.internal.registry.Repository;
import dev.berth.internal.util.Hashes;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull unpacks each layer as its bytes arrive (one pass: download, digest, inflate, diffID,
 * files). What arrives wrong is refused and leaves nothing in the store; a broken connection
 * resumes into the same unpack.
 */
class StreamingPullTest {
  @TempDir Path tmp;
  private TestRegistry reg;

  @BeforeEach
  void registry() {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    reg = Registries.plainWith("busybox", "node");
  }

  @Test
  void pull_layerCorruptedInTransit_throwsDigestMismatchAndStoresNothing() {
    Path home = tmp.resolve("home");
    try (FaultProxy proxy = FaultProxy.start(reg);
        Berth berth = Berth.builder().home(home).build()) {
      PullListener armOnLayers = armed(() -> proxy.corruptNextBlobs(1));
      assertThatThrownBy(() -> berth.pull(proxy.host() + "/busybox", armOnLayers))
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining("blob sha256:");
      assertNothingStored(berth, home);
    }
    assertUnpackThreadsEnd();
  }

  @Test
  void pull_connectionCutMidLayer_resumesIntoTheSameUnpack() throws Exception {
    Path home = tmp.resolve("home");
    try (FaultProxy proxy = FaultProxy.start(reg);
        Berth berth = Berth.builder().home(home).build()) {
      PullListener armOnLayers = armed(() -> proxy.truncateNextBlob(300_000));
      Image image = berth.pull(proxy.host() + "/busybox", armOnLayers);
      assertThat(proxy.requests()).anyMatch(r -> "bytes=300000-".equals(r.range()));
      Path unpacked = Files.createDirectories(tmp.resolve("rootfs"));
      image.unpackTo(unpacked);
      assertThat(unpacked.resolve("bin/busybox")).isRegularFile();
      assertThat(Files.size(unpacked.resolve("bin/busybox"))).isGreaterThan(100_000);
    }
  }

  @Test
  void pull_layerWithAHardlinkOutOfTheRoot_refusesTheImageAndStoresNothing() throws Exception {
    TarArchiveEntry link = new TarArchiveEntry("passwd", TarArchiveEntry.LF_LINK);
    link.setLinkName("../../../etc/passwd");
    String ref = pushImage("bad/hardlink", tar(link), null);
    Path home = tmp.resolve("home");
    try (Berth berth = Berth.builder().home(home).build()) {
      assertThatThrownBy(() -> berth.pull(ref))
          .isInstanceOf(UnsafeArchiveException.class)
          .hasMessageContaining("../../../etc/passwd");
      assertNothingStored(berth, home);
    }
    assertUnpackThreadsEnd();
  }

  @Test
  void pull_configWithAnotherDiffId_throwsDigestMismatchAndStoresNothing() throws Exception {
    TarArchiveEntry file = new TarArchiveEntry("hello.txt");
    byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
    file.setSize(hello.length);
    String wrong = "sha256:" + "ab".repeat(32);
    String ref = pushImage("bad/diffid", tar(file, hello), wrong);
    Path home = tmp.resolve("home");
    try (Berth berth = Berth.builder().home(home).build()) {
      assertThatThrownBy(() -> berth.pull(ref))
          .isInstanceOf(DigestMismatchException.class)
          .hasMessageContaining("diffID")
          .hasMessageContaining(wrong);
      assertNothingStored(berth, home);
    }
  }

  @Test
  void pull_bigLayer_extractingEventsMoveThroughTheBlob() {
    try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
      List<PullProgress> events = new CopyOnWriteArrayList<>();
      Image node = berth.pull("node", events::add);
      PullProgress biggest = events.stream().filter(e -> e.status() == Status.DOWNLOADING)
          .max(java.util.Comparator.comparingLong(PullProgress::total)).orElseThrow();
      List<Long> extracted = events.stream()
          .filter(e -> e.status() == Status.EXTRACTING && e.layer().equals(biggest.layer()))
          .map(PullProgress::current).toList();
      assertThat(node.record().layerDigests()).contains(biggest.layer().toString());
      // the unpack is behind the download when the last byte is in, and its count goes up
      assertThat(extracted).isNotEmpty().isSorted();
      assertThat(extracted.get(0)).isLessThan(biggest.total());
      assertThat(extracted.get(extracted.size() - 1)).as("bytes extracted").isPositive();
      assertThat(extracted.get(extracted.size() - 1)).isLessThanOrEqualTo(biggest.total());
    }
  }

  /** Runs {@code arm} once, when the layers are about to be fetched (after the config). */
  private static PullListener armed(Runnable arm) {
    boolean[] done = {false};
    return p -> {
      synchronized (done) {
        if (p.status() == Status.WAITING && !done[0]) {
          done[0] = true;
          arm.run();
        }
      }
    };
  }

  private static void assertNothingStored(Berth berth, Path home) {
    assertThat(berth.images()).isEmpty();
    assertThat(entries(home.resolve("layers"))).as("layer dirs").isEmpty();
    // the config blob may stay (it was verified); no layer blob does
    assertThat(entries(home.resolve("blobs"))).as("blobs").allSatisfy(
        b -> assertThat(Files.size(b)).isLessThan(4096));
  }

  private static List<Path> entries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir) && !Files.isDirectory(p)).toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertUnpackThreadsEnd() {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline && unpackThreads() > 0) {
      Thread.onSpinWait();
    }
    assertThat(unpackThreads()).as("berth-unpack/berth-inflate threads still alive").isZero();
  }

  private static long unpackThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("berth-unpack") || t.getName().startsWith("berth-inflate"))
        .count();
  }

  private static byte[] tar(TarArchiveEntry entry) throws IOException {
    return tar(entry, new byte[0]);
  }

  private static byte[] tar(TarArchiveEntry entry, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  /**
   * Pushes a one-layer image whose layer is {@code tar} gzipped; its config names
   * {@code diffId}, or the tar's real digest when null. @return its reference
   */
  private String pushImage(String repository, byte[] tar, String diffId) throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] layer = gz.toByteArray();
    String realDiffId = Hashes.sha256(tar).toString();
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
        + (diffId == null ? realDiffId : diffId) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    Digest layerDigest = Hashes.sha256(layer);
    Digest configDigest = Hashes.sha256(config);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\""
        + configDigest + "\",\"size\":" + config.length + "},"
        + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\""
        + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    ImageRef ref = ImageRef.parse(reg.host() + "/" + repository + ":v1");
    RegistryClient client = new RegistryClient(RegistryConfig.builder()
        .certsDirs(List.of(reg.certsDir())).authFiles(List.of()).helperDirs(List.of()).build());
    Repository repo = Repository.of(ref);
    client.pushBlob(repo, layerDigest, layer.length, BlobSource.of(layer), null);
    client.pushBlob(repo, configDigest, config.length, BlobSource.of(config), null);
    client.putManifest(ref, manifest, MediaTypes.OCI_MANIFEST);
    return ref.toString();
  }
}
