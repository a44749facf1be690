package dev.berth.cli;

import dev.berth.Berth;
import dev.berth.ImageBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The build's training run for the class-data-sharing archive that {@code bin/berth} maps at
 * start (src/build/cds-archive.sh): run with {@code -XX:DumpLoadedClassList} against an empty
 * BERTH_HOME, it runs the commands a user types first ({@code --help}, {@code ps -a},
 * {@code images}, …) in this one JVM, output discarded, then loads (without initialising) every
 * class of Berth, picocli and Jackson in the jar, so the verbs it could not run here ({@code run}
 * needs an image and root) find their classes in the archive too. Not a user command.
 */
public final class CdsTraining {
  private static final List<List<String>> COMMANDS = List.of(
      List.of("--help"), List.of("--version"), List.of("version"), List.of("ps", "-a"),
      List.of("ps", "-a", "-q"), List.of("images"), List.of("images", "-q"),
      List.of("volume", "ls"), List.of("network", "ls"), List.of("run", "--help"),
      List.of("inspect", "no-such-thing"), List.of("rm", "no-such-container"),
      List.of("no-such-verb"));
  private static final List<String> PACKAGES = List.of(
      "dev/berth/", "picocli/", "com/fasterxml/jackson/", "com/sun/jna/");

  private CdsTraining() {}

  public static void main(String[] args) throws IOException, URISyntaxException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    System.setOut(none);
    System.setErr(none);
    try {
      for (List<String> command : COMMANDS) {
        BerthCli.execute(command.toArray(String[]::new));
      }
      runContainer(err);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    int loaded = 0;
    Path jar = Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ClassLoader loader = CdsTraining.class.getClassLoader();
    try (JarFile j = new JarFile(jar.toFile())) {
      for (JarEntry e : j.stream().toList()) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.contains("module-info")
            && PACKAGES.stream().anyMatch(name::startsWith)) {
          try {
            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
            loaded++;
          } catch (LinkageError | ClassNotFoundException skipped) {
            // an optional dependency missing from the jar: that class is simply not archived
          }
        }
      }
    }
    out.println("CdsTraining: ran " + COMMANDS.size() + " commands, loaded " + loaded + " classes");
  }

  /**
   * As root (a build as root, as CI's): an image made here from the jar's own static helper (no
   * network, no registry), then {@code run} ({@code --network none}, as the image's command the
   * helper prints its usage and exits), {@code ps -a}, {@code inspect}, {@code logs}, {@code rm}
   * and {@code run --rm}, so the classes of a container's life (the record's binding, the
   * launcher, the status pipe, their lambdas) are archived too: the archive is otherwise made
   * without them, and {@code berth run} loaded 350 classes from the jar. Anything failing here
   * only leaves those classes out.
   */
  private static void runContainer(PrintStream err) {
    try {
      if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
        return;
      }
      try (Berth berth = Berth.builder().build()) {
        ImageBuilder.scratch().copy(berth.info().helperPath(), "/helper", 0, 0, 0755)
            .cmd("/helper").build(berth, "cds-training:1");
      }
      for (List<String> command : List.of(
          List.of("run", "--name", "cds-training", "--network", "none", "cds-training:1"),
          List.of("ps", "-a"), List.of("inspect", "cds-training"),
          List.of("logs", "cds-training"), List.of("rm", "cds-training"),
          List.of("run", "--rm", "--network", "none", "cds-training:1"),
          List.of("rmi", "cds-training:1"))) {
        BerthCli.execute(command.toArray(String[]::new));
      }
    } catch (IOException | RuntimeException e) {
      err.println("CdsTraining: no container run: " + e);
    }
  }
}
