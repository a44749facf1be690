package dev.berth.dockerapi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code docker} CLI (28.2 at /usr/local/bin/docker), pointed at a served socket with a
 * config directory of its own, so nothing of the machine's Docker setup leaks in.
 */
final class DockerCli {
  static final Path DOCKER = Path.of("/usr/local/bin/docker");
  private static final long TIMEOUT_SECONDS = 180;

  private final String host;
  private final Path config;

  /** What a command did. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  DockerCli(String dockerHost, Path configDir) {
    this.host = dockerHost;
    this.config = configDir;
    try {
      Files.createDirectories(configDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the Docker host it talks to, {@code unix:///…} */
  String host() {
    return host;
  }

  Result run(String... args) {
    return runWithInput(null, args);
  }

  Result runWithInput(String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of(DOCKER.toString()));
    argv.addAll(List.of(args));
    return exec(stdin, argv, args);
  }

  /** Runs {@code script} with sh, {@code docker} on its PATH pointed at the socket (pipes). */
  Result shell(String script) {
    return exec(null, List.of("sh", "-c", script), new String[] {"sh", "-c", script});
  }

  /** The environment that points a {@code docker} at this socket, for a shell of one's own. */
  java.util.Map<String, String> env() {
    return java.util.Map.of("DOCKER_HOST", host, "DOCKER_CONFIG", config.toString(),
        "DOCKER_CLI_HINTS", "false", "PATH", DOCKER.getParent() + ":/usr/sbin:/usr/bin:/sbin:/bin");
  }

  private Result exec(String stdin, List<String> argv, String[] args) {
    ProcessBuilder pb = new ProcessBuilder(argv);
    pb.environment().remove("DOCKER_CONTEXT");
    pb.environment().putAll(env());
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    }
    try {
      Process p = pb.start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker " + String.join(" ", args) + " did not finish in "
            + TIMEOUT_SECONDS + " s; stderr so far: " + err.getNow(""));
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs and asserts exit 0, returning stdout. */
  String ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " failed: " + r);
    }
    return r.stdout();
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
