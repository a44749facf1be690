package dev.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs a host tool (skopeo, podman, buildah) for a test and fails with its output. */
public final class Exec {
  private Exec() {}

  /** @return stdout and stderr together; throws naming the command when it exits non-zero */
  public static String run(List<String> argv) {
    return run(argv, Map.of());
  }

  /** As {@link #run(List)}, with extra environment variables. */
  public static String run(List<String> argv, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = p.waitFor();
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", argv) + " exited with " + code + ":\n"
            + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + argv.get(0) + " (is it installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + argv.get(0), e);
    }
  }

  /** @return whether {@code tool} is on the PATH */
  public static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
