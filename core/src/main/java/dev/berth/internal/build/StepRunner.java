package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.BuildFailedException;
import dev.berth.RunOptions;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.runtime.ExecUser;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.LayerView;
import dev.berth.internal.runtime.MonitorOptions;
import dev.berth.internal.runtime.ProcessSpec;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one RUN step: a container of the image so far, whose overlay upper dir is a fresh store
 * temp dir. After the process exits, that upper dir already is the new layer in overlay format;
 * only the mount points the runtime made there are taken out before it is committed.
 */
final class StepRunner {
  /** Mount points the helper creates when the image lacks them; not content of the step. */
  private static final List<String> MOUNT_POINTS = List.of("etc/hostname", "etc/hosts",
      "etc/resolv.conf", "etc", "dev", "proc", "sys");

  private final Store store;
  private final HelperLauncher launcher;

  StepRunner(Store store) {
    this.store = store;
    this.launcher = new HelperLauncher(HelperBinary.launchPath(HelperBinary.defaultCache().path()),
        Duration.ofSeconds(30));
  }

  /**
   * @param argv the full command (a shell form already wrapped in the shell)
   * @param extraEnv build args in effect, added to the image's env for this step only
   * @param hostNetwork share the host's network namespace (as {@code docker build --network host})
   * @param output receives the process's stdout and stderr
   * @return a store temp dir holding the step's layer under {@code diff/}
   * @throws BuildFailedException when the command exits with a non-zero code
   */
  Path run(BuildState state, List<String> argv, Map<String, String> extraEnv,
      boolean hostNetwork, OutputStream output, String step) {
    Path staging = store.newTempDir("run-");
    try {
      Path diff = Files.createDirectory(staging.resolve("diff"));
      Path work = Files.createDirectory(staging.resolve("work"));
      Path ctr = Files.createDirectory(staging.resolve("ctr"));
      List<Path> lowers = lowersTopFirst(state);
      RuntimeSpec spec = spec(state.config().config(), argv, extraEnv, hostNetwork, lowers,
          new RuntimeSpec.Overlay(lowers, diff, work));
      LaunchedContainer c = launcher.launch(spec, ctr, new MonitorOptions(true, false));
      int code = pump(c, output);
      if (code != 0) {
        throw new BuildFailedException(step, code);
      }
      FileTrees.deleteRecursively(work);
      FileTrees.deleteRecursively(ctr);
      removeMountPoints(diff, lowers);
      return staging;
    } catch (IOException e) {
      deleteQuietly(staging);
      throw new BerthException("cannot run build step " + step + " in " + staging + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(staging);
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteQuietly(staging);
      throw new BerthException("interrupted while running build step " + step, e);
    }
  }

  List<Path> lowersTopFirst(BuildState state) {
    List<Path> lowers = new java.util.ArrayList<>();
    List<LayerRef> layers = state.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      lowers.add(store.layout().layerDiff(layers.get(i).chainId()));
    }
    return lowers;
  }

  private static RuntimeSpec spec(ImageConfig.ContainerConfig image, List<String> argv,
      Map<String, String> extraEnv, boolean hostNetwork, List<Path> lowers, RuntimeSpec.RootFs fs) {
    RunOptions opts = RunOptions.builder().entrypoint().command(argv).env(extraEnv).build();
    ProcessSpec process = ProcessSpec.resolve(image, opts, "buildkitsandbox", "the build");
    ExecUser user = ExecUser.resolve(process.user(),
        LayerView.readFile(lowers, "/etc/passwd").orElse(null),
        LayerView.readFile(lowers, "/etc/group").orElse(null));
    process = process.withHome(user.home());
    Set<RuntimeSpec.Namespace> ns = EnumSet.copyOf(RuntimeSpec.defaultNamespaces());
    if (hostNetwork) {
      ns.remove(RuntimeSpec.Namespace.NET);
    }
    RuntimeSpec.Builder b = RuntimeSpec.builder(fs, process.argv().toArray(String[]::new))
        .cwd(process.workingDir())
        .user(user.uid(), user.gid(), user.groups().toArray(Integer[]::new))
        .hostname("buildkitsandbox")
        .namespaces(ns);
    process.env().forEach(b::env);
    return b.build();
  }

  /** Copies both streams to {@code output} until the process exits; returns its exit code. */
  private static int pump(LaunchedContainer c, OutputStream output) throws InterruptedException {
    Thread err = copier(c.stderr(), output);
    Thread out = copier(c.stdout(), output);
    int code = c.waitFor();
    out.join();
    err.join();
    return code;
  }

  private static Thread copier(InputStream in, OutputStream out) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          synchronized (out) {
            out.write(buf, 0, n);
            out.flush();
          }
        }
      } catch (IOException ignored) {
        // the process ended; what it wrote is out
      }
    }, "berth-build-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Takes out the empty mount points the helper created, when no lower layer has the path. */
  private static void removeMountPoints(Path diff, List<Path> lowers) throws IOException {
    for (String rel : MOUNT_POINTS) {
      Path p = diff.resolve(rel);
      boolean inLower = lowers.stream()
          .anyMatch(l -> Files.exists(l.resolve(rel), LinkOption.NOFOLLOW_LINKS));
      if (!inLower && isEmpty(p)) {
        Files.delete(p);
      }
    }
  }

  private static boolean isEmpty(Path p) throws IOException {
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (var s = Files.list(p)) {
        return s.findAny().isEmpty();
      }
    }
    return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0;
  }

  private static void deleteQuietly(Path dir) {
    try {
      FileTrees.deleteRecursively(dir);
    } catch (IOException ignored) {
      // swept with the session dir
    }
  }
}
