package dev.berth.internal.registry;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.testing.TestRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A one-layer OCI image (a 300 KB incompressible file) built once per JVM with umoci, pushed to
 * test registries with skopeo: tools independent of the client under test.
 *
 * @param layout the OCI layout directory
 * @param manifest the manifest bytes
 * @param manifestDigest their digest
 * @param configDigest the config blob
 * @param layerDigest the layer blob
 * @param layerSize the layer's size
 */
record TestImage(Path layout, byte[] manifest, Digest manifestDigest, Digest configDigest,
    Digest layerDigest, long layerSize) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestImage instance;

  /** @return the image, building it on first use; skips the test when tools are missing */
  static synchronized TestImage get() {
    assumeTrue(TestRegistry.available(), "needs the docker-registry package");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/umoci"))
        && Files.isExecutable(Path.of("/usr/bin/skopeo")), "needs the umoci and skopeo packages");
    if (instance == null) {
      instance = build();
    }
    return instance;
  }

  /** A registry client for {@code r}: its certs.d, no host auth files, fast retries. */
  static RegistryConfig.Builder configFor(TestRegistry r) {
    return RegistryConfig.builder().certsDirs(List.of(r.certsDir())).authFiles(List.of())
        .helperDirs(List.of())
        .retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(200)));
  }

  /** Pushes the image to {@code repository:tag} on {@code r} with skopeo; returns its ref. */
  ImageRef pushTo(TestRegistry r, String repository, String tag) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    cmd.addAll(r.skopeoDestArgs());
    cmd.add("oci:" + layout + ":latest");
    cmd.add("docker://" + r.host() + "/" + repository + ":" + tag);
    run(cmd);
    return new ImageRef(r.host(), repository, tag, null);
  }

  /** @return the raw manifest skopeo reads from {@code ref} on {@code r} */
  static byte[] skopeoRawManifest(TestRegistry r, ImageRef ref) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "inspect", "--raw"));
    cmd.addAll(r.skopeoInspectArgs());
    cmd.add("docker://" + ref);
    return run(cmd).getBytes(StandardCharsets.UTF_8);
  }

  private static TestImage build() {
    try {
      Path dir = Files.createTempDirectory("berth-test-image-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
      Path layout = dir.resolve("layout");
      byte[] payload = new byte[300_000];
      new Random(42).nextBytes(payload);
      Path file = Files.write(dir.resolve("payload"), payload);
      run(List.of("umoci", "init", "--layout", layout.toString()));
      run(List.of("umoci", "new", "--image", layout + ":latest"));
      run(List.of("umoci", "insert", "--image", layout + ":latest", file.toString(), "/payload"));
      return read(layout);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestImage read(Path layout) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    Digest md = Digest.parse(index.path("manifests").path(0).path("digest").asText());
    byte[] manifest = Files.readAllBytes(layout.resolve("blobs/sha256/" + md.hex()));
    JsonNode m = JSON.readTree(manifest);
    JsonNode layer = m.path("layers").path(0);
    return new TestImage(layout, manifest, md, Digest.parse(m.path("config").path("digest").asText()),
        Digest.parse(layer.path("digest").asText()), layer.path("size").asLong());
  }

  /** @return the bytes of a blob of the layout */
  byte[] blob(Digest d) {
    try {
      return Files.readAllBytes(layout.resolve("blobs/sha256/" + d.hex()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit; a leftover temp dir is harmless
    }
  }

  static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
