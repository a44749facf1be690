package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installable archive the build made ({@code target/berth-*-linux-x86_64.tar.gz},
 * src/build/dist.sh), installed as the README says: unpacked into an empty directory, its
 * {@code bin/} on a PATH that has no JDK (every command of /usr/bin and /usr/sbin but the JDK's),
 * JAVA_HOME unset; then the tutorial's commands against the test registry as mirror.
 */
// after package, in the launcher-test execution; not when the build skipped the archive
@EnabledIfSystemProperty(named = "berth.launcherTest", matches = "true")
@DisabledIfSystemProperty(named = "berth.skipDist", matches = "true")
class InstallTest {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path JDKS = Path.of("/usr/lib/jvm");

  @TempDir static Path tmp;
  private static Path installed;
  private static Cli cli;
  private static Cli.Result noJava;
  private static Cli.Result version;
  private static Cli.Result classLoads;
  private static Cli.Result psClassLoads;
  private static Cli.Result pull;
  private static Cli.Result images;
  private static Cli.Result run;
  private static Cli.Result psAfterRun;
  private static Cli.Result runRm;
  private static Cli.Result runRmClassLoads;
  private static Cli.Result rm;
  private static Cli.Result psAfterRm;
  private static Cli.Result rmi;
  private static Cli.Result imagesAfterRmi;

  @BeforeAll
  static void installAndRunTheTutorial() throws Exception {
    Assume.rootAndRegistry();
    installed = unpack(archive(), Files.createDirectories(tmp.resolve("opt")));
    cli = new Cli(tmp.resolve("home"), installed.resolve("bin"), pathWithoutAJdk().toString());
    noJava = cli.sh("command -v java javac jlink || echo no-jdk");
    version = cli.berth("--version");
    classLoads = cli.sh("BERTH_JAVA_OPTS=-Xlog:class+load=info:stdout berth --version");
    psClassLoads = cli.sh("BERTH_JAVA_OPTS=-Xlog:class+load=info:stdout berth ps -a");
    pull = cli.berth("pull", "busybox");
    images = cli.berth("images");
    run = cli.berth("run", "busybox", "echo", "hello from the archive");
    psAfterRun = cli.berth("ps", "-a");
    runRm = cli.berth("run", "--rm", "busybox", "true");
    runRmClassLoads = cli.sh("BERTH_JAVA_OPTS=-Xlog:class+load=info:stdout berth run --rm busybox true");
    rm = cli.berth("rm", psAfterRun.stdout().lines().skip(1).findFirst().orElse("none ").split(" ")[0]);
    psAfterRm = cli.berth("ps", "-a", "-q");
    rmi = cli.berth("rmi", "busybox");
    imagesAfterRmi = cli.berth("images", "-q");
  }

  @Test
  void theArchive_holdsTheLauncherTheJarAndItsOwnRuntime() {
    assertThat(installed.resolve("bin/berth")).isExecutable();
    assertThat(installed.resolve("lib/berth.jar")).isRegularFile();
    assertThat(installed.resolve("runtime/bin/java")).isExecutable();
    assertThat(installed.resolve("LICENSE")).isRegularFile();
    assertThat(installed.resolve("runtime/bin/javac")).doesNotExist();
  }

  @Test
  void thePath_hasNoJdk() {
    assertThat(noJava.stdout()).isEqualTo("no-jdk\n");
  }

  @Test
  void version_runsOnTheArchivesRuntime() {
    assertOk(version);
    assertThat(version.stdout()).matches("Berth version \\S+\n");
  }

  @Test
  void version_onARuntimeOf19OrNewer_mapsTheArchivesClassData() throws IOException {
    if (feature() < 19) {
      // JDK 17 refuses an archive whose jar has moved: dist.sh makes none (see there)
      assertThat(installed.resolve("lib/berth.jsa")).doesNotExist();
      assertThat(installed.resolve("lib/berth-quick.jsa")).doesNotExist();
      return;
    }
    assertThat(installed.resolve("lib/berth-quick.jsa")).isRegularFile();
    assertOk(classLoads);
    assertThat(classLoads.stdout()).contains("dev.berth.cli.BerthCli source: shared objects file");
  }

  @Test
  void psAll_onARuntimeOf19OrNewer_neverOpensTheJar() throws IOException {
    assertOk(psClassLoads);
    assertThat(psClassLoads.stdout()).contains("CONTAINER ID");
    if (feature() >= 19) {
      // every class from the archive, no resource read, and no System.exit whose logger (JDK
      // 21+) looks for services on the class path: the jar's directory is never read
      assertThat(psClassLoads.stdout()).doesNotContain("URLClassPath$JarLoader");
      assertThat(spunOrFromTheJar(psClassLoads)).isEmpty();
    }
  }

  @Test
  void runRm_onARuntimeOf19OrNewer_takesEveryClassAndLambdaFromTheArchive() throws IOException {
    assertOk(runRmClassLoads);
    if (feature() >= 19) {
      // the quick archive's training ran a container on the default network as this does; a
      // class from the jar opens its directory (~9 ms), a lambda spun here costs a class
      // definition (the JDK's Comparator.comparing … are serializable: never archived)
      assertThat(runRmClassLoads.stdout()).contains("dev.berth.internal.engine.ContainerStarter source: shared objects file");
      assertThat(spunOrFromTheJar(runRmClassLoads)).isEmpty();
    }
  }

  /** The log's lines of a class read from the jar, or a lambda defined at run time. */
  private static List<String> spunOrFromTheJar(Cli.Result classLoads) {
    return classLoads.stdout().lines()
        .filter(l -> l.contains(" source: file:") || l.contains("$$Lambda") && !l.endsWith("source: shared objects file"))
        .toList();
  }

  @Test
  void pull_fromTheMirror_printsDockersStatusLine() {
    assertOk(pull);
    assertThat(pull.stdout()).contains("Status: Downloaded newer image for busybox:latest\n");
  }

  @Test
  void images_listsBusybox() {
    assertOk(images);
    assertThat(images.stdout()).startsWith("REPOSITORY").containsPattern("(?m)^busybox +latest +[0-9a-f]{12} ");
  }

  @Test
  void run_printsTheContainersOutput() {
    assertOk(run);
    assertThat(run.stdout()).isEqualTo("hello from the archive\n");
  }

  @Test
  void psAll_showsTheExitedContainer() {
    assertOk(psAfterRun);
    assertThat(psAfterRun.stdout().lines().skip(1).toList()).singleElement().asString()
        .matches("[0-9a-f]{12} +busybox +\"echo hello from the…\" .*Exited \\(0\\).*");
  }

  @Test
  void runRm_leavesNothingBehind() {
    assertOk(runRm);
    assertThat(runRm.stdout()).isEmpty();
  }

  @Test
  void rm_removesTheContainer() {
    assertOk(rm);
    assertThat(rm.stdout()).matches("[0-9a-f]{12}\n");
    assertThat(psAfterRm.stdout()).isEmpty();
  }

  @Test
  void rmi_deletesTheImage() {
    assertOk(rmi);
    assertThat(rmi.stdout()).startsWith("Untagged: docker.io/library/busybox:latest\n");
    assertThat(imagesAfterRmi.stdout()).isEmpty();
  }

  /** @return the feature release of the archive's runtime (17, 25, …) */
  private static int feature() throws IOException {
    String release = Files.readString(installed.resolve("runtime/release"));
    return Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
  }

  private static void assertOk(Cli.Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).as(r.toString()).isEmpty();
  }

  private static Path archive() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      List<Path> found = files.filter(f -> f.getFileName().toString().matches(
          "berth-.*-linux-x86_64\\.tar\\.gz")).toList();
      assertThat(found).as("target/berth-*-linux-x86_64.tar.gz: made by mvn package"
          + " (src/build/dist.sh) unless -Dberth.skipDist").hasSize(1);
      return found.get(0);
    }
  }

  /** @return the one directory the archive unpacked into {@code dir}, as a user's tar does */
  private static Path unpack(Path archive, Path dir) throws Exception {
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", dir.toString())
        .inheritIO().start();
    assertThat(tar.waitFor(120, TimeUnit.SECONDS)).as("tar -xzf in 120 s").isTrue();
    assertThat(tar.exitValue()).as("tar -xzf " + archive).isZero();
    try (Stream<Path> top = Files.list(dir)) {
      List<Path> dirs = top.toList();
      assertThat(dirs).as("the archive's one top directory").hasSize(1);
      return dirs.get(0);
    }
  }

  /**
   * A directory of links to every command in /usr/bin and /usr/sbin (what {@code ip}, {@code nft}
   * or {@code tar} a user's PATH finds), except the JDK's: Debian links java, javac… there.
   */
  private static Path pathWithoutAJdk() throws IOException {
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    List<Path> skipped = new ArrayList<>();
    for (String dir : List.of("/usr/bin", "/usr/sbin")) {
      try (DirectoryStream<Path> commands = Files.newDirectoryStream(Path.of(dir))) {
        for (Path command : commands) {
          Path link = tools.resolve(command.getFileName().toString());
          if (Files.exists(link) || !Files.isExecutable(command)) {
            continue;
          }
          if (command.toRealPath().startsWith(JDKS)) {
            skipped.add(command);
          } else {
            Files.createSymbolicLink(link, command);
          }
        }
      }
    }
    assertThat(skipped).as("this machine's JDK, linked from /usr/bin").isNotEmpty();
    return tools;
  }
}
