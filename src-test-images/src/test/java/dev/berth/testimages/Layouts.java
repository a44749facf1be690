package dev.berth.testimages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads OCI layouts in tests, independently of the code that wrote them. */
final class Layouts {
  static final ObjectMapper JSON = new ObjectMapper();

  private Layouts() {}

  static Path blob(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  static JsonNode json(Path layout, String digest) throws IOException {
    return JSON.readTree(Files.readAllBytes(blob(layout, digest)));
  }

  static JsonNode indexJson(Path layout) throws IOException {
    return JSON.readTree(layout.resolve("index.json").toFile());
  }

  /** The descriptor tagged latest in index.json. */
  static JsonNode latest(Path layout) throws IOException {
    return indexJson(layout).get("manifests").get(0);
  }

  /** The manifest of a single-image layout. */
  static JsonNode manifest(Path layout) throws IOException {
    return json(layout, latest(layout).get("digest").asText());
  }

  /** Every entry of a layer blob, by name, with text content for small regular files. */
  static Map<String, TarArchiveEntry> entries(Path layout, JsonNode layerDescriptor)
      throws IOException {
    Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = open(layout, layerDescriptor)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }

  /** The content of one file in a layer blob. */
  static String fileContent(Path layout, JsonNode layerDescriptor, String name) throws IOException {
    try (TarArchiveInputStream tar = open(layout, layerDescriptor)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(name)) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(name + " is not in layer " + layerDescriptor);
  }

  private static TarArchiveInputStream open(Path layout, JsonNode layer) throws IOException {
    InputStream raw = Files.newInputStream(blob(layout, layer.get("digest").asText()));
    InputStream plain = layer.get("mediaType").asText().endsWith("zstd")
        ? new ZstdInputStream(raw) : new GZIPInputStream(raw);
    return new TarArchiveInputStream(plain);
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
      return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Unpacks a layout with umoci and returns its rootfs. The bundle is deleted at JVM exit with
   * rm, not by JUnit's @TempDir, which warns about every absolute symlink in it.
   */
  static Path unpack(Path layout) throws IOException, InterruptedException {
    Path bundle = Files.createTempDirectory("berth-umoci-").resolve("bundle");
    run("umoci", "unpack", "--image", layout + ":latest", bundle.toString());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        run("rm", "-rf", "--one-file-system", bundle.getParent().toString());
      } catch (IOException | InterruptedException | AssertionError ignored) {
        // best effort
      }
    }));
    return bundle.resolve("rootfs");
  }

  /** GETs {@code url}, retrying connection failures for up to {@code seconds}. */
  static String httpGet(String url, int seconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(url).openConnection();
        try (InputStream in = c.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (java.net.ConnectException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Runs a command, returning stdout; fails the test with stderr on a non-zero exit. */
  static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new AssertionError(String.join(" ", argv) + " failed: " + new String(err, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
