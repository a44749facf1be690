package dev.berth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Asserts that a BERTH_HOME is consistent, as a crash or a full disk must leave it: every blob
 * hashes to its name, every layer dir is whole (has its layer.json), images.json parses.
 */
public final class StoreCheck {
  private StoreCheck() {}

  public static void assertConsistent(Path home) throws IOException {
    for (Path blob : list(home.resolve("blobs/sha256"))) {
      assertThat(sha256(blob)).as("blob %s hashes to its name", blob)
          .isEqualTo(blob.getFileName().toString());
    }
    for (Path layer : list(home.resolve("layers"))) {
      assertThat(layer.resolve("layer.json")).as("layer dir %s is whole", layer).isRegularFile();
      assertThat(layer.resolve("diff")).isDirectory();
    }
    Path images = home.resolve("images.json");
    if (Files.exists(images)) {
      assertThat(new ObjectMapper().readTree(images.toFile()).get("images").isArray()).isTrue();
    }
  }

  /** @return the session staging dirs under {@code tmp/} (not their lock files) */
  public static List<Path> sessions(Path home) throws IOException {
    return list(home.resolve("tmp")).stream()
        .filter(p -> !p.getFileName().toString().endsWith(".lock")).toList();
  }

  public static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
