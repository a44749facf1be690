package dev.berth.internal.runtime;

import dev.berth.BerthException;
import dev.berth.ContainerStartException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a container: writes the helper's config and /etc files into the container directory,
 * runs the helper, and waits for its status line. On success the helper stays as the
 * container's monitor, and its streams are the container's.
 */
public final class HelperLauncher {
  private final Path helper;
  private final Duration startTimeout;

  /**
   * @param helper the helper executable, from {@link HelperBinary#path()}
   * @param startTimeout how long the helper may take to report that the container started
   */
  public HelperLauncher(Path helper, Duration startTimeout) {
    this.helper = helper;
    this.startTimeout = startTimeout;
  }

  /**
   * @param containerDir an existing directory the container owns: config, state, log, /etc files
   * @throws ContainerStartException when the container's process could not be started
   * @throws BerthException when the container directory cannot be written or the helper fails
   */
  public LaunchedContainer launch(RuntimeSpec spec, Path containerDir) {
    ContainerFiles files = new ContainerFiles(containerDir);
    RuntimeSpec withEtc = withEtcFiles(spec, files);
    Process monitor;
    try {
      Files.write(files.config(), HelperConfig.encode(withEtc, files));
      monitor = new ProcessBuilder(helper.toString(), files.config().toString()).start();
    } catch (IOException e) {
      throw new BerthException("Cannot start the Berth helper " + helper + " for " + containerDir + ": " + e.getMessage(), e);
    }
    String status = readStatusLine(monitor);
    String[] words = status.split(" ", 5);
    if (words.length == 3 && words[0].equals(HelperProtocol.STATUS_MAGIC) && words[1].equals("started")) {
      return new LaunchedContainer(Long.parseLong(words[2]), monitor, files);
    }
    throw startFailure(monitor, words, status);
  }

  /** The helper bind-mounts /etc/hostname, /etc/hosts and /etc/resolv.conf from these files. */
  private static RuntimeSpec withEtcFiles(RuntimeSpec spec, ContainerFiles files) {
    String name = spec.hostname() != null ? spec.hostname() : "localhost";
    try {
      Files.writeString(files.hostname(), name + "\n");
      Files.writeString(files.hosts(), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t" + name + "\n");
      Path hostResolv = Path.of("/etc/resolv.conf");
      Files.writeString(files.resolvConf(), Files.isReadable(hostResolv) ? Files.readString(hostResolv) : "");
    } catch (IOException e) {
      throw new BerthException("Cannot write /etc files into " + files.dir() + ": " + e.getMessage(), e);
    }
    List<RuntimeSpec.Mount> mounts = new ArrayList<>(List.of(
        RuntimeSpec.Mount.bind(files.hostname(), "/etc/hostname", false),
        RuntimeSpec.Mount.bind(files.hosts(), "/etc/hosts", false),
        RuntimeSpec.Mount.bind(files.resolvConf(), "/etc/resolv.conf", false)));
    mounts.addAll(spec.mounts());
    return new RuntimeSpec(spec.argv(), spec.env(), spec.cwd(), spec.uid(), spec.gid(), spec.groups(), spec.hostname(),
        spec.rootfs(), spec.namespaces(), mounts, spec.rlimits(), spec.stdinOpen(), spec.idMapping());
  }

  /** Reads up to the first newline, byte by byte, so nothing after it is taken from the user. */
  private String readStatusLine(Process monitor) {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      InputStream in = monitor.getInputStream();
      try {
        for (int b; (b = in.read()) != -1 && b != '\n'; ) buf.write(b);
      } catch (IOException e) {
        // the status then is whatever arrived; an empty one is reported below
      }
      return buf.toString(StandardCharsets.UTF_8);
    }, HelperLauncher::daemonThread);
    try {
      return line.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      monitor.destroyForcibly();
      throw new ContainerStartException("The Berth helper did not report within " + startTimeout
          + " whether the container started; it was killed. Is the machine overloaded?", "spawn", 0,
          HelperProtocol.EXIT_SETUP_FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      monitor.destroyForcibly();
      throw new BerthException("Interrupted while starting a container", e);
    } catch (ExecutionException e) {
      throw new BerthException("Reading the Berth helper's status failed", e.getCause());
    }
  }

  /** A blocking read must not hold one of the common pool's few threads. */
  private static void daemonThread(Runnable r) {
    Thread t = new Thread(r, "berth-helper-status");
    t.setDaemon(true);
    t.start();
  }

  private static ContainerStartException startFailure(Process monitor, String[] words, String status) {
    int exit = exitCode(monitor);
    if (words.length == 5 && words[0].equals(HelperProtocol.STATUS_MAGIC) && words[1].equals("error")) {
      return new ContainerStartException("Container failed to start (stage " + words[2] + "): " + words[4],
          words[2], Integer.parseInt(words[3]), exit);
    }
    String stderr = stderrOf(monitor);
    return new ContainerStartException("The Berth helper ended without a status (exit " + exit + ", said \""
        + status + "\", stderr \"" + stderr + "\"); report this as a Berth bug", "spawn", 0, exit);
  }

  private static int exitCode(Process p) {
    try {
      return p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : HelperProtocol.EXIT_SETUP_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HelperProtocol.EXIT_SETUP_FAILED;
    }
  }

  private static String stderrOf(Process p) {
    try {
      return new String(p.getErrorStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
