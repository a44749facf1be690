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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rebuilds of the node Containerfile (src-test-images/containerfiles/node: FROM debian-base, RUN
 * apt-get install nodejs, COPY app) with Berth's {@code ImageBuilder.build} beside
 * {@code buildah bud --layers} of the same Containerfile and context, in the same run: a
 * no-change rebuild, and a rebuild after one file of the app changed; before them, first builds
 * from empty caches, interleaved. Both use the host's network for RUN steps. Needs root and the
 * Debian mirror for the first builds.
 *
 * <p>Run with {@code scripts/bench-build [runs] [first-build runs]}.
 */
public final class BuildBench {
  private BuildBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int firstRuns = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path tmp = Files.createTempDirectory("berth-build-bench");
    try {
      Path context = copyContext(tmp.resolve("context"));
      Path app = context.resolve("app/server.js");
      TestRegistry reg = Registries.plainWith("debian-base");
      // buildah pulls the base from the test registry by its full name
      String base = reg.host() + "/library/debian-base:latest";
      // Both on the host's network, so the RUN step's apt-get downloads the same way.
      BuildOptions opts = BuildOptions.builder(context).tag("bench/node:latest")
          .hostNetwork(true).build();
      first(firstRuns, tmp, reg, opts, base, context);
      int[] edits = {0};
      Timing.Body change = () -> Files.writeString(app, "// edit " + edits[0]++ + "\n",
          java.nio.file.StandardOpenOption.APPEND);
      Podman buildah = Podman.buildah(tmp.resolve("buildah"));
      try (Berth berth = Registries.engine(tmp.resolve("home"), reg)) {
        Timing.Body berthBuild = () -> ImageBuilder.build(berth, opts);
        Timing.Body buildahBuild = buildah(buildah, base, context);
        // fill both caches (untimed), then the rebuilds
        berthBuild.run();
        buildahBuild.run();
        report(runs, berthBuild, buildahBuild, change);
      } finally {
        buildah.clean();
      }
    } finally {
      Timing.exec("rm", "-rf", tmp.toString());
    }
  }

  /**
   * First builds from empty caches and an empty store (the base pulled, nodejs downloaded from
   * the Debian mirror), Berth and buildah interleaved, the one going first alternating (the
   * mirror's own caches warm up on the first request).
   *
   * <p>Nothing is deleted until every round is done, and the rounds start after a quiet wait
   * ({@code -Dbench.settle=SECONDS}, default 300). On ext4 without a journal (this VM's /tmp)
   * the kernel skips inodes freed in the last 60 s, 300 s while their inode table block is
   * dirty, reading each one it skips: after a delete of a few thousand files, creating files
   * took 3x the system time in {@code tar -xzf} here. Deleting the last round's stores between
   * rounds measured that, for both tools, more than the tools.
   */
  private static void first(int runs, Path tmp, TestRegistry reg, BuildOptions opts, String base,
      Path context) throws Exception {
    List<Double> berth = new ArrayList<>();
    List<Double> buildah = new ArrayList<>();
    List<Podman> used = new ArrayList<>();
    long settle = Long.getLong("bench.settle", 300);
    System.out.println("waiting " + settle + " s with nothing deleted before the first builds"
        + " (-Dbench.settle)");
    Thread.sleep(settle * 1000);
    try {
      for (int i = 0; i < runs; i++) {
        Path home = tmp.resolve("first-home" + i);
        Podman fresh = Podman.buildah(tmp.resolve("first-buildah" + i));
        used.add(fresh);
        Timing.Body berthBuild = () -> {
          try (Berth b = Registries.engine(home, reg)) {
            ImageBuilder.build(b, opts);
          }
        };
        Timing.Body buildahBuild = buildah(fresh, base, context);
        Timing.exec("sync");
        if (i % 2 == 0) {
          berth.add(Timing.millis(berthBuild));
          Timing.exec("sync");
          buildah.add(Timing.millis(buildahBuild));
        } else {
          buildah.add(Timing.millis(buildahBuild));
          Timing.exec("sync");
          berth.add(Timing.millis(berthBuild));
        }
      }
    } finally {
      used.forEach(Podman::clean);
      for (int i = 0; i < runs; i++) {
        Timing.exec("rm", "-rf", tmp.resolve("first-home" + i).toString(),
            tmp.resolve("first-buildah" + i).toString());
      }
    }
    System.out.println("first build of containerfiles/node, empty caches and store, apt-get from the"
        + " Debian mirror, host network, " + runs + " runs interleaved");
    Timing.row("berth ImageBuilder.build (engine opened and closed)", Timing.stats(berth, "ms"));
    Timing.row("buildah bud --layers", Timing.stats(buildah, "ms"));
  }

  private static Timing.Body buildah(Podman buildah, String base, Path context) {
    return () -> buildah.run("bud", "--layers", "--quiet",
        "--network", "host", "--tls-verify=false", "--build-arg", "BASE=" + base,
        "-t", "bench-node", "-f", context.resolve("Containerfile").toString(),
        context.toString());
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
