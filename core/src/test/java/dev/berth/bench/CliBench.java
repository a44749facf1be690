package dev.berth.bench;

import static dev.berth.bench.Timing.exec;
import static dev.berth.bench.Timing.pair;
import static dev.berth.bench.Timing.row;

import dev.berth.Berth;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Row cli (issue #17): a cold {@code berth} command, a new JVM each time as a user types it,
 * beside the same podman command in the same run, interleaved run by run (A B A B …) so a
 * machine that slows down mid-row slows both: {@code berth ps -a}, {@code berth images},
 * {@code berth run --rm busybox true} (busybox present in a BERTH_HOME pulled from the test
 * registry), and the floors: {@code berth --version} and a bare {@code java -version}. Needs
 * root and {@code examples/target/berth.jar} (scripts/bench cli builds it, with its archive).
 * When the build also made the installable archive ({@code berth-*-linux-x86_64.tar.gz}), the
 * rows time that one, unpacked into a temp directory as a user installs it (its own jlinked
 * runtime), and a last pair sets it beside {@code examples/bin/berth} on the build's JDK.
 *
 * <p>Run with {@code scripts/bench cli}.
 */
public final class CliBench {
  private static final Path CLONE = Path.of("examples/bin/berth");
  private static final Path ARCHIVE = Path.of("examples/target/berth.jsa");
  private static final Path TARGET = Path.of("examples/target");

  private CliBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    if (!Files.isRegularFile(Path.of("examples/target/berth.jar"))) {
      throw new IllegalStateException("examples/target/berth.jar is missing: scripts/bench cli builds it");
    }
    Path tmp = Files.createTempDirectory(Path.of("/tmp"), "bcl");
    TestRegistry reg = Registries.plainWith("busybox");
    String image = reg.host() + "/busybox:latest";
    Path home = tmp.resolve("home");
    try (Berth berth = Registries.engine(home, reg);
        Podman podman = new Podman(tmp.resolve("p"))) {
      berth.pull("busybox");
      podman.run("pull", "-q", "--tls-verify=false", image);
      Path installed = install(tmp.resolve("opt"));
      Path cli = installed != null ? installed.resolve("bin/berth") : CLONE;
      String java = installed != null ? installed.resolve("runtime/bin/java").toString() : "java";
      System.out.println("cli. a cold command, a new process each time, busybox present; " + runs
          + " runs each, interleaved with its peer; berth: " + (installed != null
              ? "the installable archive, unpacked (" + installed.getFileName() + ", its runtime: "
                + exec(java, "-version").lines().findFirst().orElse("?") + ")"
              : CLONE + ", CDS archive " + (Files.isRegularFile(ARCHIVE) ? "present" : "ABSENT")));
      pair(runs, "berth ps -a", () -> berth(cli, home, "ps", "-a"),
          "podman ps -a", () -> podman.run("ps", "-a"));
      pair(runs, "berth images", () -> berth(cli, home, "images"),
          "podman images", () -> podman.run("images"));
      pair(runs, "berth run --rm busybox true",
          () -> berth(cli, home, "run", "--rm", "busybox", "true"),
          "podman run --rm --network=none (runc, cgroupfs)",
          () -> podman.run("run", "--rm", "--network=none", image, "true"));
      pair(runs, "floor: berth --version", () -> berth(cli, home, "--version"),
          "floor: java -Xshare:auto -version", () -> exec(java, "-Xshare:auto", "-version"));
      if (installed != null) {
        pair(runs, "berth ps -a, installed archive", () -> berth(cli, home, "ps", "-a"),
            "berth ps -a, examples/bin/berth on the build's JDK (CDS archive "
                + (Files.isRegularFile(ARCHIVE) ? "present" : "ABSENT") + ")",
            () -> berth(CLONE, home, "ps", "-a"));
      }
      check(berth(cli, home, "ps", "-a", "-q").isBlank(), "berth run --rm left a container behind");
    } finally {
      exec("rm", "-rf", tmp.toString());
    }
  }

  /** @return the installed archive's top directory in {@code dir}, or null when none was built */
  private static Path install(Path dir) throws Exception {
    List<Path> archives;
    try (Stream<Path> files = Files.list(TARGET)) {
      archives = files.filter(f -> f.getFileName().toString().matches("berth-.*-linux-x86_64\\.tar\\.gz"))
          .toList();
    }
    if (archives.size() != 1) {
      return null;
    }
    Files.createDirectories(dir);
    exec("tar", "-xzf", archives.get(0).toString(), "-C", dir.toString());
    try (Stream<Path> top = Files.list(dir)) {
      return top.findFirst().orElseThrow();
    }
  }

  private static String berth(Path cli, Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(cli.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("BERTH_HOME", home.toString());
    pb.environment().remove("BERTH_JAVA_OPTS");
    return exec(pb);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }
}
