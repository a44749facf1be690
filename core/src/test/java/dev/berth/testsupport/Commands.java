package dev.berth.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real peer tools (skopeo, umoci, podman, buildah) Berth is checked against. */
public final class Commands {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private Commands() {}

  /** What a command did. */
  public record Result(int exit, String out, String err) {}

  /** Skips the test, saying why, when {@code tool} is not installed. */
  public static void assumeInstalled(String tool) {
    assumeTrue(isInstalled(tool), tool + " is not installed (Debian package " + tool
        + "): the cross-check against it needs it");
  }

  /** @return whether {@code tool} is in /usr/bin or /usr/sbin */
  public static boolean isInstalled(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool))
        || Files.isExecutable(Path.of("/usr/sbin", tool));
  }

  /** Runs {@code command}, capturing its output; two minutes at most. */
  public static Result run(String... command) throws IOException, InterruptedException {
    return run(Map.of(), DEFAULT_TIMEOUT, command);
  }

  /** Runs {@code command} with extra environment variables, capturing its output. */
  public static Result run(Map<String, String> env, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("berth-cmd-", ".out");
    Path err = Files.createTempFile("berth-cmd-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(List.of(command))
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** @return stdout; fails the test with stderr when the command fails */
  public static String ok(String... command) throws IOException, InterruptedException {
    return ok(Map.of(), DEFAULT_TIMEOUT, command);
  }

  /** As {@link #ok(String...)}, with extra environment variables and a time limit. */
  public static String ok(Map<String, String> env, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Result r = run(env, timeout, command);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }
}
