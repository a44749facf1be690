package dev.berth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.internal.runtime.BusyboxRootfs;
import dev.berth.internal.runtime.HelperBinary;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.runtime.RuntimeSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Wall time from "run" to "exited" of /bin/true on a busybox root: Berth's helper (overlay,
 * from Java) against `runc run` of a bundle of the same files. Needs root.
 *
 * <pre>java -cp core/target/classes:core/target/test-classes:DEPS dev.berth.bench.StartupBench [runs]</pre>
 */
public final class StartupBench {
  private StartupBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    Path tmp = Files.createTempDirectory("berth-bench");
    Path rootfs = BusyboxRootfs.create(tmp.resolve("bundle/rootfs"));
    HelperLauncher launcher = new HelperLauncher(new HelperBinary(tmp.resolve("bin")).path(), Duration.ofSeconds(20));
    double berth = median(runs, i -> berthRun(launcher, rootfs, tmp.resolve("c" + i)));
    writeBundleConfig(tmp.resolve("bundle"));
    double runc = median(runs, i -> runcRun(tmp, i));
    System.out.printf("/bin/true run-to-exit, median of %d: berth %.1f ms, runc %.1f ms%n", runs, berth, runc);
    new ProcessBuilder("rm", "-rf", tmp.toString()).inheritIO().start().waitFor();
  }

  private interface Run {
    void run(int i) throws Exception;
  }

  private static double median(int runs, Run r) throws Exception {
    double[] ms = new double[runs];
    r.run(-1); // warm-up: class loading, page cache
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      r.run(i);
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[runs / 2];
  }

  private static void berthRun(HelperLauncher launcher, Path lower, Path dir) throws Exception {
    Files.createDirectories(dir.resolve("upper"));
    Files.createDirectories(dir.resolve("work"));
    RuntimeSpec spec = RuntimeSpec.builder(
        new RuntimeSpec.Overlay(List.of(lower), dir.resolve("upper"), dir.resolve("work")), "/bin/true").build();
    LaunchedContainer c = launcher.launch(spec, dir);
    if (c.waitFor() != 0) throw new IllegalStateException("berth: /bin/true failed");
  }

  private static void writeBundleConfig(Path bundle) throws Exception {
    Files.deleteIfExists(bundle.resolve("config.json"));
    if (new ProcessBuilder("runc", "spec", "--bundle", bundle.toString()).inheritIO().start().waitFor() != 0) {
      throw new IllegalStateException("runc spec failed; is runc installed?");
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
    ObjectNode process = (ObjectNode) config.get("process");
    process.put("terminal", false);
    process.putArray("args").add("/bin/true");
    json.writeValue(bundle.resolve("config.json").toFile(), config);
  }

  private static void runcRun(Path tmp, int i) throws Exception {
    Process p = new ProcessBuilder("runc", "--root", tmp.resolve("runc-state").toString(), "run", "--bundle",
            tmp.resolve("bundle").toString(), "bench" + (i + 1))
        .inheritIO()
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    if (p.waitFor() != 0) throw new IllegalStateException("runc run failed");
  }
}
