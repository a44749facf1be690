package dev.berth.cli;

import dev.berth.Berth;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The build's training run for the class-data-sharing archive that {@code bin/berth} maps at
 * start (src/build/cds-archive.sh): run with {@code -XX:DumpLoadedClassList} against an empty
 * BERTH_HOME, it runs the commands a user types first ({@code --help}, {@code ps -a},
 * {@code images}, …, and as root a container's life) in this one JVM, output discarded; the
 * archive holds the classes they loaded and no others. Every class in it costs every command
 * its share of the archive's relocation at start (JDK 20+ maps the archive at a random address
 * and patches its pointers): an archive of every class of Berth, picocli, Jackson and JNA in the
 * jar (4,400 classes, 35 MB) cost a cold {@code berth --version} or {@code ps -a} ~10 % more
 * than one of what these commands load (issue #17). A verb trained nowhere here (pull, push,
 * build: they run for seconds) loads its other classes from the jar. Two archives are made:
 * {@code all} of these commands, and {@code quick}: those of {@link #QUICK} alone (no picocli
 * model, help or listing of volumes and networks; 2/3 of the size), which the launcher maps for
 * the verbs typed most. Not a user command.
 */
public final class CdsTraining {
  /** The lines of the verbs typed most, which bin/berth runs with the quick archive. */
  static final List<List<String>> QUICK = List.of(
      List.of("--version"), List.of("version"), List.of("ps", "-a"), List.of("ps", "-a", "-q"),
      List.of("images"), List.of("images", "-q"), List.of("rm", "no-such-container"));
  /** The others: picocli's model, its help and its messages; inspect's JSON (Jackson's 500 classes). */
  private static final List<List<String>> OTHERS = List.of(
      List.of("--help"), List.of("volume", "ls"), List.of("network", "ls"), List.of("run", "--help"),
      List.of("inspect", "no-such-thing"), List.of("no-such-verb"));

  private CdsTraining() {}

  /** @param args {@code quick}: the quick archive's lines; else ({@code all}) every line */
  public static void main(String[] args) {
    boolean all = !(args.length > 0 && args[0].equals("quick"));
    List<List<String>> commands = new ArrayList<>(QUICK);
    if (all) {
      commands.addAll(OTHERS);
    }
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(none);
    System.setErr(none);
    try {
      for (List<String> command : commands) {
        BerthCli.execute(command.toArray(String[]::new));
      }
      runContainer(all, err);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    out.println("CdsTraining: ran " + commands.size() + " commands");
  }

  /**
   * As root (a build as root, as CI's): an image made from the jar's own static helper (no
   * network, no registry) by {@code berth build} in a JVM of its own, so the classes of the build
   * (the layer's tar and compression, the manifests' data binding) stay out of the archive; then
   * {@code run} ({@code --network none}, as the image's command the helper prints its usage and
   * exits), {@code ps -a}, {@code inspect} and {@code logs} (not for the quick archive), {@code rm},
   * {@code run --rm} (on the default network, as {@code berth run --rm busybox true} is typed:
   * its classes are not all {@code --network none}'s) and {@code rmi} (not for the quick archive
   * either) here,
   * so the classes of a container's life (the record's binding, the launcher, the status pipe,
   * their lambdas) are archived too: the archive is otherwise made without them, and {@code berth
   * run} loaded 350 classes from the jar. Anything failing here only leaves those classes out.
   */
  private static void runContainer(boolean all, PrintStream err) {
    Path context = null;
    try {
      if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
        return;
      }
      // not Files.createTempDirectory: its SecureRandom would put the security providers' classes in the archive
      context = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"),
          "berth-cds-training-" + ProcessHandle.current().pid()));
      try (Berth berth = Berth.builder().build()) {
        Files.copy(berth.info().helperPath(), context.resolve("helper"));
      }
      Files.setPosixFilePermissions(context.resolve("helper"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.writeString(context.resolve("Containerfile"),
          "FROM scratch\nCOPY helper /helper\nCMD [\"/helper\"]\n");
      Process build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), BerthCli.class.getName(),
          "build", "-q", "-t", "cds-training:1", context.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
      if (build.waitFor() != 0) {
        err.println("CdsTraining: no container run: berth build exited " + build.exitValue());
        return;
      }
      List<List<String>> life = new ArrayList<>(List.of(
          List.of("run", "--name", "cds-training", "--network", "none", "cds-training:1"),
          List.of("ps", "-a")));
      if (all) {
        life.addAll(List.of(List.of("inspect", "cds-training"), List.of("logs", "cds-training")));
      }
      life.addAll(List.of(List.of("rm", "cds-training"),
          List.of("run", "--rm", "cds-training:1"))); // the default (private) network, as typed
      if (all) {
        // rmi writes images.json through Jackson's data binding: not for the quick archive,
        // whose BERTH_HOME cds-archive.sh removes with the image in it
        life.add(List.of("rmi", "cds-training:1"));
      }
      for (List<String> command : life) {
        BerthCli.execute(command.toArray(String[]::new));
      }
    } catch (IOException | RuntimeException e) {
      err.println("CdsTraining: no container run: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (context != null) {
        try (var files = Files.list(context)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
          Files.delete(context);
        } catch (IOException e) {
          err.println("CdsTraining: left " + context + ": " + e);
        }
      }
    }
  }
}
