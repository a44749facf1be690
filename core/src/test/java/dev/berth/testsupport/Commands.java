package dev.berth.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real peer tools (skopeo, umoci) the archives are checked against. */
public final class Commands {
  private Commands() {}

  /** What a command did. */
  public record Result(int exit, String out, String err) {}

  /** Skips the test, saying why, when {@code tool} is not installed. */
  public static void assumeInstalled(String tool) {
    boolean found = Files.isExecutable(Path.of("/usr/bin", tool))
        || Files.isExecutable(Path.of("/usr/sbin", tool));
    assumeTrue(found, tool + " is not installed (Debian package " + tool
        + "): the archive cross-check against it needs it");
  }

  /** Runs {@code command}, capturing its output. */
  public static Result run(String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("berth-cmd-", ".out");
    Path err = Files.createTempFile("berth-cmd-", ".err");
    try {
      Process p = new ProcessBuilder(List.of(command))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
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
    Result r = run(command);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }
}
