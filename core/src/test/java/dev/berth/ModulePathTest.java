package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth-core as a user's application gets it: a small app that {@code requires dev.berth} is
 * compiled and run on the module path (dev.berth a named module, its dependencies named or
 * automatic modules), and the same app without module-info on the class path. The module is
 * target/classes, the exploded form of the jar; the dependencies are the runtime class path Maven
 * writes to target/runtime-classpath.txt. Nothing here starts a container.
 */
class ModulePathTest {
  private static final String MAIN = """
      package app;

      public class Main {
        public static void main(String[] args) {
          System.out.println(dev.berth.ImageRef.parse("node"));
          System.out.println(dev.berth.Digest.parse("sha256:" + "ab".repeat(32)).algorithm());
          System.out.println(dev.berth.Berth.builder() != null ? "builder" : "no builder");
          Module m = dev.berth.ImageRef.class.getModule();
          System.out.println(m.isNamed() ? "module " + m.getName() : "class path");
        }
      }
      """;

  @TempDir Path dir;
  private List<String> runtime;
  private Path src;

  @BeforeEach
  void setUp() throws IOException {
    Path classpathFile = Path.of("target/runtime-classpath.txt");
    assertThat(classpathFile).as("written by maven-dependency-plugin before the tests").exists();
    runtime = new ArrayList<>(List.of(Files.readString(classpathFile).trim().split(File.pathSeparator)));
    runtime.add(0, Path.of("target/classes").toAbsolutePath().toString());
    src = dir.resolve("src");
    Files.createDirectories(src.resolve("app"));
    Files.writeString(src.resolve("app/Main.java"), MAIN);
  }

  @Test
  void appRequiringDevBerth_runsOnTheModulePath() throws Exception {
    Files.writeString(src.resolve("module-info.java"), "module app { requires dev.berth; }\n");
    Path out = dir.resolve("mods/app");
    String modulePath = String.join(File.pathSeparator, runtime);
    javac("--module-path", modulePath, "-d", out.toString(),
        src.resolve("module-info.java").toString(), src.resolve("app/Main.java").toString());

    List<String> lines = java("--module-path", out + File.pathSeparator + modulePath, "-m", "app/app.Main");

    assertThat(lines).containsExactly("docker.io/library/node:latest", "sha256", "builder", "module dev.berth");
  }

  @Test
  void appWithoutModuleInfo_runsOnTheClassPath() throws Exception {
    Path out = dir.resolve("classes");
    String classPath = String.join(File.pathSeparator, runtime);
    javac("-cp", classPath, "-d", out.toString(), src.resolve("app/Main.java").toString());

    List<String> lines = java("-cp", out + File.pathSeparator + classPath, "app.Main");

    assertThat(lines).containsExactly("docker.io/library/node:latest", "sha256", "builder", "class path");
  }

  // the JDK's own tools, as processes: the tests run patched into dev.berth, which reads no
  // java.compiler
  private void javac(String... args) throws Exception {
    run("javac", args);
  }

  private List<String> java(String... args) throws Exception {
    return run("java", args);
  }

  private List<String> run(String tool, String... args) throws Exception {
    var cmd = new ArrayList<String>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
    cmd.addAll(List.of(args));
    Path output = Files.createTempFile(dir, tool, ".out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s exits within a minute", tool).isTrue();
    String text = Files.readString(output);
    assertThat(p.exitValue()).as("%s exited with:%n%s", String.join(" ", cmd), text).isZero();
    return text.lines().toList();
  }
}
