package dev.berth.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each case with a JNA of its own runs a fresh JVM: JNA reads its paths once, when it starts. */
class JnaBootTest {
  @Test
  void platformPath_onThisMachine_holdsEveryDirectoryJnaFindsThroughLdconfig() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/sbin/ldconfig")), "this machine has no /sbin/ldconfig to compare with");
    // what JNA's start computes: its own list, then each directory ldconfig -p lists a library in
    List<String> jnas = new ArrayList<>(List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
        "/usr/lib64", "/lib64", "/usr/lib", "/lib"));
    if (!System.getProperty("os.arch").equals("amd64")) {
      jnas.replaceAll(d -> d.replace("x86_64", System.getProperty("os.arch")));
    }
    Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p").start();
    for (String line : new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
      int arrow = line.indexOf(" => ");
      if (arrow >= 0 && !jnas.contains(line.substring(arrow + 4, line.lastIndexOf('/')))) {
        jnas.add(line.substring(arrow + 4, line.lastIndexOf('/')));
      }
    }
    assertThat(ldconfig.waitFor()).isZero();
    jnas.removeIf(d -> !Files.isDirectory(Path.of(d)));

    List<String> ours = JnaBoot.platformPath(Path.of("/"), System.getProperty("os.arch"));

    assertThat(ours).containsAll(jnas);
    assertThat(ours.subList(0, 2)).isEqualTo(jnas.subList(0, 2));
  }

  @Test
  void platformPath_readsLdSoConf_itsIncludesAndComments_keepingDirectoriesThatExist(@TempDir Path root)
      throws Exception {
    for (String dir : List.of("usr/lib/x86_64-linux-gnu", "lib", "opt/a", "opt/b", "opt/c", "etc/ld.so.conf.d")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.writeString(root.resolve("etc/ld.so.conf"), "# comment\n/opt/a/  # trailing\n"
        + "include ld.so.conf.d/*.conf\n\nhwcap 0 nosegneg\n/opt/missing\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/b.conf"), "/opt/c\n/usr/lib\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/a.conf"), "/opt/b\ninclude /etc/ld.so.conf\n");
    Files.writeString(root.resolve("etc/ld.so.conf.d/c.txt"), "/opt/never\n");

    List<String> dirs = JnaBoot.platformPath(root, "amd64");

    assertThat(dirs).containsExactly("/usr/lib/x86_64-linux-gnu", "/usr/lib", "/lib", "/opt/a", "/opt/b", "/opt/c");
    assertThat(JnaBoot.platformPath(root, "riscv64")).isEmpty();
  }

  @Test
  void platformPath_withoutLdSoConf_isJnasOwnList(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("usr/lib/aarch64-linux-gnu"));
    Files.createDirectories(root.resolve("lib64"));

    assertThat(JnaBoot.platformPath(root, "aarch64")).containsExactly("/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib");
  }

  @Test
  void aFreshJvm_namesThePlatformPathBeforeJnaStarts_andKeepsOneTheApplicationSet(@TempDir Path cache)
      throws Exception {
    assertThat(run(cache)).contains("platform=" + String.join(":", JnaBoot.platformPath(Path.of("/"),
        System.getProperty("os.arch"))) + "\n");
    assertThat(run(cache, "-D" + JnaBoot.PLATFORM_PROPERTY + "=/own")).contains("platform=/own\n");
  }

  @Test
  void aFreshJvm_loadsJnasLibraryFromTheCache_writtenOnce(@TempDir Path cache) throws Exception {
    String first = mapped(cache);
    Path copy = onlyCopy(cache);

    assertThat(first.strip()).isEqualTo(copy.toString());
    assertThat(Files.readAllBytes(copy)).isEqualTo(jarLibrary());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("r-xr-xr-x");
    long written = Files.getLastModifiedTime(copy).toMillis();

    assertThat(mapped(cache).strip()).isEqualTo(copy.toString());
    assertThat(Files.getLastModifiedTime(copy).toMillis()).isEqualTo(written);
  }

  @Test
  void aDamagedCopy_isWrittenAgain_beforeJnaLoadsIt(@TempDir Path cache) throws Exception {
    mapped(cache);
    Path copy = onlyCopy(cache);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(copy, "not a library");

    assertThat(mapped(cache).strip()).isEqualTo(copy.toString());
    assertThat(Files.readAllBytes(copy)).isEqualTo(jarLibrary());
  }

  @Test
  void aCacheItCannotWrite_leavesJnaToExtractAsBefore(@TempDir Path dir) throws Exception {
    Path notADir = Files.writeString(dir.resolve("file"), "x");

    String loaded = mapped(notADir).strip();

    assertThat(loaded).isNotEmpty().doesNotStartWith(notADir.toString());
  }

  @Test
  void aBootPathTheApplicationSet_isKept(@TempDir Path dir) throws Exception {
    Path own = Files.createDirectories(dir.resolve("own"));
    Files.write(own.resolve(System.mapLibraryName("jnidispatch")), jarLibrary());

    String loaded = mapped(dir.resolve("cache"), "-D" + JnaBoot.PROPERTY + "=" + own).strip();

    assertThat(loaded).isEqualTo(own.resolve(System.mapLibraryName("jnidispatch")).toString());
    assertThat(dir.resolve("cache")).doesNotExist();
  }

  private static Path onlyCopy(Path cache) throws Exception {
    try (Stream<Path> files = Files.walk(cache)) {
      List<Path> copies = files.filter(Files::isRegularFile).toList();
      assertThat(copies).hasSize(1);
      return copies.get(0);
    }
  }

  private static byte[] jarLibrary() throws Exception {
    String resource = "com/sun/jna/" + Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("jnidispatch");
    try (InputStream in = Platform.class.getClassLoader().getResourceAsStream(resource)) {
      return in.readAllBytes();
    }
  }

  /** @return the paths the child JVM mapped its JNA library from, a line each */
  private static String mapped(Path cache, String... jvmOptions) throws Exception {
    return run(cache, jvmOptions).lines().filter(l -> !l.startsWith("platform="))
        .map(l -> l + "\n").collect(java.util.stream.Collectors.joining());
  }

  /** @return what the child JVM printed: the platform path JNA saw, the paths it mapped its library from */
  private static String run(Path cache, String... jvmOptions) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JnaBootMain.class.getName(), cache.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
