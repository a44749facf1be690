package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/berth} on the built {@code berth.jar}: it maps the class-data-sharing archive the
 * build made when it fits, starts without it when it is missing, stale or refused by the JVM,
 * and in every case prints only what berth prints (the JVM's cds warnings would go to stdout).
 * Runs after {@code package} (its own surefire execution, see the pom): earlier there is no jar.
 */
// runs in the launcher-test execution, after package has built berth.jar and berth.jsa (a
// disabled class, not an assumption: a root run fails assumptions that are not the machine's)
@EnabledIfSystemProperty(named = "berth.launcherTest", matches = "true")
class LauncherTest {
  private static final Path EXAMPLES = Path.of("").toAbsolutePath();
  private static final Path JAR = EXAMPLES.resolve("target/berth.jar");
  private static final Path ARCHIVE = EXAMPLES.resolve("target/berth.jsa");
  private static final Path QUICK_ARCHIVE = EXAMPLES.resolve("target/berth-quick.jsa");
  private static final String VERSION_LINE = "Berth version \\S+\n";
  /** The JDK's own archive has no Berth class: this one came from berth.jsa. */
  private static final String FROM_ARCHIVE = "dev\\.berth\\.cli\\.BerthCli source: shared objects file";
  private static final String PICOCLI_FROM_ARCHIVE = "picocli\\.CommandLine source: shared objects file";

  @TempDir Path tmp;

  private record Run(int exitCode, String stdout, String stderr, String classLoads) {}

  @Test
  void version_withTheBuildsArchive_loadsBerthFromIt() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    Run r = berth(EXAMPLES, Map.of(), "--version");
    assertClean(r);
    assertThat(r.classLoads()).containsPattern(FROM_ARCHIVE);
  }

  @Test
  void psAll_withTheBuildsArchive_printsOnlyTheTable() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    Run r = berth(EXAMPLES, Map.of("BERTH_HOME", tmp.resolve("home").toString()), "ps", "-a");
    assertEmptyTable(r);
  }

  @Test
  void theVerbsTypedMost_mapTheQuickArchive_andTheOthersTheWholeOne() throws Exception {
    assumeTrue(Files.isRegularFile(QUICK_ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    assertThat(Files.size(QUICK_ARCHIVE)).as("the quick archive is the lean one")
        .isLessThan(Files.size(ARCHIVE) * 3 / 4);
    // picocli's model and help: in the whole archive, not in the quick one
    Run help = berth(EXAMPLES, Map.of(), "--help");
    assertThat(help.exitCode()).as(help.stderr()).isZero();
    assertThat(help.classLoads()).containsPattern(FROM_ARCHIVE).containsPattern(PICOCLI_FROM_ARCHIVE);
    Run psHelp = berth(EXAMPLES, Map.of(), "ps", "--help");
    assertThat(psHelp.exitCode()).as(psHelp.stderr()).isZero();
    assertThat(psHelp.stdout()).contains("--all");
    assertThat(psHelp.classLoads()).containsPattern(FROM_ARCHIVE)
        .containsPattern("picocli\\.CommandLine source: (?!shared)").doesNotContainPattern(PICOCLI_FROM_ARCHIVE);
  }

  @Test
  void psAll_endsAsMainReturns_andItsStoreSessionIsRemovedAtExit() throws Exception {
    Path home = tmp.resolve("home");
    Run r = berth(EXAMPLES, Map.of("BERTH_HOME", home.toString()), "ps", "-a");
    assertEmptyTable(r);
    // the store's session dir goes in a shutdown hook: run as main returned, as at System.exit
    try (java.util.stream.Stream<Path> sessions = Files.list(home.resolve("tmp"))) {
      assertThat(sessions).as("store sessions left in " + home.resolve("tmp")).isEmpty();
    }
    if (Files.isRegularFile(QUICK_ARCHIVE)) {
      // every class from the archive, no resource read (the helper check): the jar stays unopened
      assertThat(r.classLoads()).doesNotContain("URLClassPath$JarLoader");
    }
  }

  @Test
  void version_withoutAnArchive_runsFromTheJar() throws Exception {
    Path home = install(false);
    Run r = berth(home, Map.of(), "--version");
    assertClean(r);
    assertThat(r.classLoads()).doesNotContainPattern(FROM_ARCHIVE);
  }

  @Test
  void version_archiveOlderThanTheJar_isNotUsed() throws Exception {
    assertSpoiledArchiveIsNotUsed(home -> Files.setLastModifiedTime(home.resolve("target/berth.jar"),
        FileTime.fromMillis(Files.getLastModifiedTime(home.resolve("target/berth.jsa")).toMillis()
            + 60_000)));
  }

  @Test
  void version_archiveWithoutItsJavaRecord_isNotUsed() throws Exception {
    assertSpoiledArchiveIsNotUsed(home -> Files.delete(home.resolve("target/berth.jsa.java")));
  }

  @Test
  void version_archiveTheJvmRefuses_fallsBackSilently() throws Exception {
    // newer than the jar and made by this java, as far as the launcher can tell; not an archive
    assertSpoiledArchiveIsNotUsed(
        home -> Files.writeString(home.resolve("target/berth.jsa"), "not a CDS archive\n"));
  }

  /** Something done to an installed copy with an archive, after which it must not be mapped. */
  private interface Spoil {
    void apply(Path home) throws IOException;
  }

  private void assertSpoiledArchiveIsNotUsed(Spoil spoil) throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    Path home = install(true);
    spoil.apply(home);
    Run r = berth(home, Map.of(), "--version");
    assertClean(r);
    assertThat(r.classLoads()).doesNotContainPattern(FROM_ARCHIVE);
  }

  @Test
  void version_archiveOfAnotherJar_fallsBackSilently() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    // a real archive, but it names target/berth.jar at its build path: the JVM refuses this one
    Path home = install(true);
    Run r = berth(home, Map.of(), "--version");
    assertClean(r);
  }

  @Test
  void version_anotherJava_ignoresTheArchive() throws Exception {
    assumeTrue(Files.isRegularFile(ARCHIVE), "the build made no archive (-Dberth.skipCds)");
    Path other = List.of(Path.of("/usr/lib/jvm/temurin-25-jdk-amd64"),
            Path.of("/usr/lib/jvm/java-17-openjdk-amd64")).stream()
        .filter(j -> Files.isExecutable(j.resolve("bin/java")))
        .filter(j -> !sameJava(j.resolve("bin/java")))
        .findFirst().orElse(null);
    assumeTrue(other != null, "needs a second JDK under /usr/lib/jvm");
    Run r = berth(EXAMPLES, Map.of("JAVA_HOME", other.toString()), "--version");
    assertClean(r);
    assertThat(r.classLoads()).doesNotContainPattern(FROM_ARCHIVE);
  }

  @Test
  void psAll_anotherJava_printsNoJvmWarning() throws Exception {
    // JDK 22+ warns when JNA loads its library, unless the jar's manifest enables native access
    Path other = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    assumeTrue(Files.isExecutable(other.resolve("bin/java")), "needs Temurin 25 under /usr/lib/jvm");
    Run r = berth(EXAMPLES, Map.of("JAVA_HOME", other.toString(),
        "BERTH_HOME", tmp.resolve("home").toString()), "ps", "-a");
    assertEmptyTable(r);
  }

  private static boolean sameJava(Path java) {
    try {
      String madeWith = Files.readString(Path.of(ARCHIVE + ".java")).strip();
      return Files.isSameFile(java, Path.of(madeWith));
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code ps -a} of an empty home: the header alone, nothing on stderr. */
  private static void assertEmptyTable(Run r) {
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).startsWith("CONTAINER ID").hasLineCount(1);
    assertThat(r.stderr()).isEmpty();
  }

  private static void assertClean(Run r) {
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).matches(VERSION_LINE);
    assertThat(r.stderr()).isEmpty();
  }

  /** A copy of bin/berth and target/ in {@code tmp}, with or without the archive. */
  private Path install(boolean withArchive) throws IOException {
    Path home = tmp.resolve("examples");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("target"));
    Files.copy(EXAMPLES.resolve("bin/berth"), home.resolve("bin/berth"),
        StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(JAR, home.resolve("target/berth.jar"), StandardCopyOption.COPY_ATTRIBUTES);
    if (withArchive) {
      Files.copy(ARCHIVE, home.resolve("target/berth.jsa"));
      Files.copy(Path.of(ARCHIVE + ".java"), home.resolve("target/berth.jsa.java"));
      Files.setLastModifiedTime(home.resolve("target/berth.jar"), FileTime.fromMillis(
          Files.getLastModifiedTime(home.resolve("target/berth.jsa")).toMillis() - 60_000));
    }
    return home;
  }

  /**
   * Runs {@code <home>/bin/berth args…} as a user would (not the test classes), the JVM told to
   * log where each class came from into a file, not the terminal.
   */
  private Run berth(Path home, Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "class-load", ".log");
    ProcessBuilder pb = new ProcessBuilder(
        java.util.stream.Stream.concat(java.util.stream.Stream.of(
            home.resolve("bin/berth").toString()), java.util.stream.Stream.of(args)).toList())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("BERTH_CLI_CLASSPATH");
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("BERTH_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
    env.forEach((k, v) -> pb.environment().merge(k, v,
        (old, add) -> k.equals("BERTH_JAVA_OPTS") ? old + " " + add : add));
    Path out = tmp.resolve("stdout");
    Path err = tmp.resolve("stderr");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/berth " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8), Files.readString(log));
  }
}
