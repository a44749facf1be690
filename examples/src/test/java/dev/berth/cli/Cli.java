package dev.berth.cli;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code examples/bin/berth} (a new JVM per command, as a user would) against one
 * BERTH_HOME, with the test registry as docker.io mirror holding busybox and node.
 */
final class Cli {
  /** Where bin/berth lives: surefire runs in the examples module's directory. */
  static final Path BIN = Path.of("bin").toAbsolutePath();
  private static final long TIMEOUT_SECONDS = 120;

  private final Path home;
  private final TestRegistry registry;
  /** The bin/ whose berth runs: examples/bin, or an installed archive's. */
  private final Path bin;
  /** PATH after bin/: the test JVM's, or one a test chose (an installed berth: no JDK on it). */
  private final String path;

  /** What a command did. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  Cli(Path home) {
    this(home, BIN, System.getenv("PATH"));
  }

  /**
   * An installed berth: {@code bin/berth} with PATH {@code bin:path}, run with neither
   * JAVA_HOME nor the test classes (BERTH_CLI_CLASSPATH) in its environment.
   */
  Cli(Path home, Path bin, String path) {
    this.home = home;
    this.registry = Registries.plainWith("busybox", "node");
    this.bin = bin;
    this.path = path;
  }

  /** @return the environment berth commands run with: BERTH_HOME, mirror, PATH with bin/ */
  Map<String, String> env() {
    return Map.of("BERTH_HOME", home.toString(),
        "BERTH_REGISTRY_MIRRORS", registry.host(),
        "PATH", bin + ":" + path);
  }

  /** @return the test registry's host:port, for references that bypass the mirror */
  String registryHost() {
    return registry.host();
  }

  Path home() {
    return home;
  }

  /** Runs {@code berth args…} with no stdin. */
  Result berth(String... args) {
    List<String> argv = new ArrayList<>(List.of(bin.resolve("berth").toString()));
    argv.addAll(List.of(args));
    return exec(argv, null);
  }

  /** Starts {@code berth args…} without waiting: output is discarded. */
  Process start(String... args) throws IOException {
    List<String> argv = new ArrayList<>(List.of(bin.resolve("berth").toString()));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(env());
    return pb.start();
  }

  /** Runs a shell command line (bash -c) with berth on the PATH. */
  Result sh(String script) {
    return exec(List.of("bash", "-c", script), null);
  }

  /** Runs {@code berth args…} in {@code dir}. */
  Result shIn(Path dir, String script) {
    return exec(List.of("bash", "-c", script), dir);
  }

  private Result exec(List<String> argv, Path dir) {
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(
          Path.of("/dev/null").toFile()));
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      pb.environment().putAll(env());
      if (!bin.equals(BIN)) {
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("BERTH_CLI_CLASSPATH");
      }
      Process p = pb.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      String out = read(p.getInputStream());
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(argv + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out, err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes every container of this home, so each test starts from an empty {@code ps -a}. */
  void removeAllContainers() {
    Result ids = berth("ps", "-a", "-q");
    for (String id : ids.stdout().split("\\s+")) {
      if (!id.isBlank()) {
        berth("rm", "-f", id);
      }
    }
  }

  static Path tempHome(String name) {
    try {
      return Files.createTempDirectory("berth-cli-" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
