package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the command-line tools the harness needs (openssl, htpasswd) and cleans up after them. */
final class Commands {
  private static final long TIMEOUT_SECONDS = 60;

  private Commands() {}

  /**
   * Runs {@code command} in {@code dir} and returns its standard output.
   *
   * @throws IllegalStateException naming the command and its output when it is missing, fails or hangs
   */
  static String run(Path dir, String... command) {
    requireTool(command[0]);
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = readAll(p.getInputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + "s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue()
            + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
  }

  /**
   * Throws a message that says which Debian package to install when {@code tool} is not on the PATH.
   */
  static void requireTool(String tool) {
    if (findTool(tool) == null) {
      throw new IllegalStateException(tool + " is not installed: install the Debian package "
          + packageOf(tool) + " (scripts/lib/deps.sh lists everything the tests need)");
    }
  }

  /** The absolute path of {@code tool} on the PATH, or null. */
  static Path findTool(String tool) {
    if (tool.contains("/")) {
      return Files.isExecutable(Path.of(tool)) ? Path.of(tool) : null;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String d : path.split(":")) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static String packageOf(String tool) {
    return switch (tool) {
      case "htpasswd" -> "apache2-utils";
      default -> Path.of(tool).getFileName().toString();
    };
  }

  static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Deletes {@code dir} and everything below it; missing is fine. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
