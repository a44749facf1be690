package dev.berth.bench;

import dev.berth.Berth;
import dev.berth.BuildOptions;
import dev.berth.ImageBuilder;
import dev.berth.testimages.TestImages;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Podman;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Rebuilds of the node Containerfile (src-test-images/containerfiles/node: FROM debian-base, RUN
 * apt-get install nodejs, COPY app) with Berth's {@code ImageBuilder.build} beside
 * {@code buildah bud --layers} of the same Containerfile and context, in the same run: a
 * no-change rebuild, and a rebuild after one file of the app changed. Both first build once,
 * untimed, so their caches hold every step; each case then has untimed warm-up runs. Needs root and the Debian mirror for that first build.
 *
 * <p>Run with {@code scripts/bench-build [runs]}.
 */
public final class BuildBench {
  private BuildBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path tmp = Files.createTempDirectory("berth-build-bench");
    Podman buildah = Podman.buildah(tmp.resolve("buildah"));
    try {
      Path context = copyContext(tmp.resolve("context"));
      Path app = context.resolve("app/server.js");
      TestRegistry reg = Registries.plainWith("debian-base");
      int[] edits = {0};
      Timing.Body change = () -> Files.writeString(app, "// edit " + edits[0]++ + "\n",
          java.nio.file.StandardOpenOption.APPEND);
      try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
        BuildOptions opts = BuildOptions.builder(context).tag("bench/node:latest").build();
        Timing.Body berthBuild = () -> ImageBuilder.build(berth, opts);
        // buildah pulls the base from the test registry by its full name
        String base = reg.host() + "/library/debian-base:latest";
        Timing.Body buildahBuild = () -> buildah.run("bud", "--layers", "--quiet",
            "--network", "host", "--tls-verify=false", "--build-arg", "BASE=" + base,
            "-t", "bench-node", "-f", context.resolve("Containerfile").toString(),
            context.toString());
        // first builds: empty caches, base pulled, nodejs downloaded from the Debian mirror
        double berthFirst = once(berthBuild);
        double buildahFirst = once(buildahBuild);
        System.out.printf("first build (empty caches, apt-get from the Debian mirror), once:"
            + " berth %.0f ms, buildah %.0f ms%n", berthFirst, buildahFirst);
        report(runs, berthBuild, buildahBuild, change);
      }
    } finally {
      buildah.clean();
      Timing.exec("rm", "-rf", tmp.toString());
    }
  }

  private static void report(int runs, Timing.Body berth, Timing.Body buildah,
      Timing.Body change) throws Exception {
    Timing.Stats berthSame = Timing.measure(1, runs, berth);
    Timing.Stats buildahSame = Timing.measure(1, runs, buildah);
    Timing.Stats berthChanged = Timing.measure(1, runs, () -> {
      change.run();
      berth.run();
    });
    Timing.Stats buildahChanged = Timing.measure(1, runs, () -> {
      change.run();
      buildah.run();
    });
    System.out.println("rebuild of containerfiles/node (debian-base + nodejs + app), " + runs
        + " timed runs each, after as many untimed warm-up runs");
    System.out.println("  no change:       berth ImageBuilder.build  " + berthSame);
    System.out.println("                   buildah bud --layers      " + buildahSame);
    System.out.println("  app file edited: berth ImageBuilder.build  " + berthChanged);
    System.out.println("                   buildah bud --layers      " + buildahChanged);
  }

  private static double once(Timing.Body body) throws Exception {
    long t0 = System.nanoTime();
    body.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  private static Path copyContext(Path target) throws Exception {
    Path source = TestImages.containerfileContext("node");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }
}
