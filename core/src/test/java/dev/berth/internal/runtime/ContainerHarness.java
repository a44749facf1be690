package dev.berth.internal.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.net.Networks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Runs containers on a busybox overlay for the end-to-end tests. Needs root. */
public final class ContainerHarness {
  private final Path base;
  private final Path lower;
  private final Path helper;
  private final HelperLauncher fileLauncher;
  private final HelperLauncher launcher;
  private final Networks networks;
  private final AtomicInteger count = new AtomicInteger();

  public record Result(int exit, String stdout, String stderr, ContainerFiles files) {}

  public ContainerHarness(Path base) throws IOException, InterruptedException {
    assumeTrue(Linux.isRoot(), "needs root: creating namespaces and mounting overlay (run the tests as root)");
    assumeTrue(BusyboxRootfs.available(), "needs a static /bin/busybox for the test root file system (apt-get install busybox-static)");
    this.base = base;
    this.lower = BusyboxRootfs.create(base.resolve("lower"));
    this.networks = new Networks(base.resolve("home"));
    this.helper = new HelperBinary(base.resolve("bin")).path();
    // as an engine starts helpers: from this JVM's sealed copy of the file
    this.launcher = new HelperLauncher(HelperBinary.launchPath(helper), Duration.ofSeconds(20), networks);
    this.fileLauncher = new HelperLauncher(helper, Duration.ofSeconds(20), networks);
  }

  public Path lower() {
    return lower;
  }

  /** The extracted helper file on the host that every container here runs. */
  public Path helper() {
    return helper;
  }

  public Path base() {
    return base;
  }

  public RuntimeSpec.Builder spec(String... argv) throws IOException {
    Path dir = base.resolve("c" + count.incrementAndGet());
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    return RuntimeSpec.builder(new RuntimeSpec.Overlay(List.of(lower), dir.resolve("upper"), dir.resolve("work")), argv)
        .env("PATH=/bin");
  }

  /** The container dir is the parent of the overlay's upper dir (see spec). */
  public LaunchedContainer start(RuntimeSpec spec) {
    RuntimeSpec.Overlay overlay = spec.rootfs() instanceof RuntimeSpec.FuseOverlay f ? f.overlay() : (RuntimeSpec.Overlay) spec.rootfs();
    Path dir = overlay.upper().getParent();
    return launcher.launch(spec, dir);
  }

  /** Starts the helper from the extracted file, not this JVM's sealed copy (it then copies itself). */
  public LaunchedContainer startFromTheFile(RuntimeSpec spec) {
    return fileLauncher.launch(spec, ((RuntimeSpec.Overlay) spec.rootfs()).upper().getParent());
  }

  /** Starts argv inside the running container c. */
  public LaunchedContainer exec(LaunchedContainer c, RuntimeProcess spec) {
    return launcher.exec(c.files(), c.hostPid(), spec);
  }

  /** Starts on the given network; the container's id (for Networks.detach) is its directory's name. */
  LaunchedContainer start(RuntimeSpec spec, NetworkSpec net) {
    Path dir = ((RuntimeSpec.Overlay) spec.rootfs()).upper().getParent();
    return launcher.launch(spec, dir, net);
  }

  Networks networks() {
    return networks;
  }

  public Result run(String... argv) throws Exception {
    return run(UnaryOperator.identity(), argv);
  }

  public Result run(UnaryOperator<RuntimeSpec.Builder> customize, String... argv) throws Exception {
    return collect(start(customize.apply(spec(argv)).build()));
  }

  /** Reads the process's output to the end and waits for its exit. */
  public static Result collect(LaunchedContainer c) throws Exception {
    CompletableFuture<String> out = drain(c.stdout());
    CompletableFuture<String> err = drain(c.stderr());
    int exit = c.waitFor();
    return new Result(exit, out.get(), err.get(), c.files());
  }

  public static CompletableFuture<String> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Lines of the host's mount table that mention our temp dir: must be none after a container ends. */
  public List<String> leftoverMounts() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().filter(l -> l.contains(base.toString())).toList();
  }
}
