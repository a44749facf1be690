package dev.berth.internal.net;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.util.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Runs the host's network tools (iproute2's ip, nftables' nft) and turns failures into errors. */
final class Commands {
  private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

  private Commands() {}

  /** @return the tool's absolute path, looked up in the system dirs then PATH */
  static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>(SYSTEM_DIRS);
    String path = System.getenv("PATH");
    if (path != null) dirs.addAll(List.of(path.split(":")));
    return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
  }

  /** @throws UnsupportedEnvironmentException naming the Debian package when the tool is missing */
  static Path require(String name, String debianPackage) {
    return find(name).orElseThrow(() -> new UnsupportedEnvironmentException(
        "User-defined networks need the " + name + " command, which this host lacks: apt-get install " + debianPackage));
  }

  /** @return the command's stdout; @throws BerthException with its stderr when it fails */
  static String run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).start();
      p.getOutputStream().close();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()),
          Threads.daemonPerTask("berth-command-stderr"));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      if (exit != 0) {
        throw new BerthException("`" + String.join(" ", argv) + "` failed (exit " + exit + "): "
            + new String(err.join(), StandardCharsets.UTF_8).strip());
      }
      return out;
    } catch (IOException e) {
      throw new BerthException("Cannot run `" + String.join(" ", argv) + "`: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("Interrupted while running `" + String.join(" ", argv) + "`", e);
    }
  }

  /** Like run, but a failure is only reported by the result: for cleanup that may find nothing to do. */
  static boolean tryRun(List<String> argv) {
    try {
      run(argv);
      return true;
    } catch (BerthException e) {
      return false;
    }
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
