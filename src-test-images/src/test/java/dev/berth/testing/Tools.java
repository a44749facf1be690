package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the harness tests share: skopeo, a tiny OCI image made with umoci, plain HTTP calls. */
final class Tools {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path tinyLayout;

  private Tools() {}

  /** The outcome of a command. */
  record Result(int exitCode, String output) { }

  static boolean has(String tool) {
    return Commands.findTool(tool) != null;
  }

  static Result skopeo(List<String> args) {
    List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = Commands.readAll(p.getInputStream());
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("skopeo hung: " + command);
      }
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** skopeo copy of the tiny image to {@code repo:tag} on {@code registry}, with the given dest flags. */
  static Result push(String host, String repo, List<String> destArgs) {
    List<String> args = new ArrayList<>(List.of("copy"));
    args.addAll(destArgs);
    args.add("oci:" + tinyImage() + ":latest");
    args.add("docker://" + host + "/" + repo + ":latest");
    return skopeo(args);
  }

  static Result inspect(String host, String repo, List<String> args) {
    List<String> all = new ArrayList<>(List.of("inspect", "--raw"));
    all.addAll(args);
    all.add("docker://" + host + "/" + repo + ":latest");
    return skopeo(all);
  }

  /** An OCI layout holding {@code latest}: one layer with 70 kB of random data, made once per JVM. */
  static synchronized Path tinyImage() {
    if (tinyLayout == null) {
      try {
        Path dir = Files.createTempDirectory("berth-tiny-image-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.deleteTree(dir)));
        Files.createDirectories(dir.resolve("rootfs/hello"));
        Files.write(dir.resolve("rootfs/hello/data"), random(70_000));
        Commands.run(dir, "umoci", "init", "--layout", "img");
        Commands.run(dir, "umoci", "new", "--image", "img:latest");
        Commands.run(dir, "umoci", "insert", "--image", "img:latest", "rootfs/hello", "/hello");
        tinyLayout = dir.resolve("img");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tinyLayout;
  }

  /** The manifest of the tiny image, as its layout stores it (skopeo pushes it unchanged). */
  static String tinyManifest() {
    try {
      Path layout = tinyImage();
      String digest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(layout.resolve("index.json").toFile())
          .get("manifests").get(0).get("digest").asText();
      return Files.readString(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()))).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(42).nextBytes(bytes);
    return bytes;
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Uploads {@code bytes} as a blob of {@code repo} in one POST + PUT; returns its digest. */
  static String pushBlob(URI registry, String repo, byte[] bytes) throws IOException, InterruptedException {
    HttpResponse<Void> started = HTTP.send(HttpRequest.newBuilder(registry.resolve("/v2/" + repo + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    String location = started.headers().firstValue("Location").orElseThrow(
        () -> new IllegalStateException("upload start answered " + started.statusCode() + " without Location"));
    String digest = sha256(bytes);
    URI put = registry.resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    HttpResponse<String> done = HTTP.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new IllegalStateException("blob upload answered " + done.statusCode() + ": " + done.body());
    }
    return digest;
  }

  static HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
