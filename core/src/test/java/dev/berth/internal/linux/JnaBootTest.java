package dev.berth.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Each case runs a fresh JVM: JNA reads its boot path once, when it starts. */
class JnaBootTest {
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

    String loaded = run(dir.resolve("cache"), "-D" + JnaBoot.PROPERTY + "=" + own).strip();

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

  private static String mapped(Path cache) throws Exception {
    return run(cache);
  }

  /** @return the paths the child JVM mapped its JNA library from, a line each */
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
