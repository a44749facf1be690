package dev.berth.testimages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs an external program to completion; a non-zero exit becomes a {@link TestImageException}. */
final class Command {
  private Command() {}

  /** Runs {@code argv} and returns its stdout. */
  static String run(List<String> argv) {
    return run(argv, Map.of());
  }

  /** Runs {@code argv} with extra environment variables and returns its stdout. */
  static String run(List<String> argv, Map<String, String> env) {
    Path stderr = null;
    try {
      // stderr goes to a file so that a chatty tool can never block on a full pipe
      stderr = Files.createTempFile("berth-cmd-", ".stderr");
      ProcessBuilder builder = new ProcessBuilder(argv).redirectError(stderr.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new TestImageException(
            "`" + describe(argv) + "` failed with exit code " + exit,
            Files.readString(stderr, StandardCharsets.UTF_8), null);
      }
      return out;
    } catch (IOException e) {
      throw new TestImageException("could not run `" + argv.get(0) + "`: " + e.getMessage()
          + " (is it installed? see scripts/lib/deps.sh)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestImageException("interrupted while running `" + argv.get(0) + "`", e);
    } finally {
      deleteQuietly(stderr);
    }
  }

  /** The command line for messages, with credentials (skopeo's --*creds) masked. */
  static String describe(List<String> argv) {
    StringBuilder line = new StringBuilder();
    boolean maskNext = false;
    for (String arg : argv) {
      boolean creds = arg.startsWith("--") && arg.contains("creds");
      String shown = maskNext ? "***" : creds && arg.contains("=") ? arg.replaceFirst("=.*", "=***") : arg;
      line.append(line.length() == 0 ? "" : " ").append(shown);
      maskNext = creds && !arg.contains("=");
    }
    return line.toString();
  }

  private static void deleteQuietly(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // a leftover temp file is harmless
    }
  }
}
