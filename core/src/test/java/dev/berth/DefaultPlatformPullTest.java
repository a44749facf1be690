package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a JVM pulls from a multi-platform image when nobody names a platform: the one of its
 * {@code os.arch}. The multiarch test image has linux/amd64, linux/arm64 and linux/arm/v7, each
 * with a file {@code /arch} naming its platform.
 */
class DefaultPlatformPullTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "os.arch={0}")
  @CsvSource({"amd64, linux/amd64", "x86_64, linux/amd64", "aarch64, linux/arm64", "arm64, linux/arm64",
      "arm, linux/arm/v7"})
  void pull_multiarch_takesThePlatformOfTheJvmsArch(String osArch, String expected) throws Exception {
    assumeThat(TestRegistry.available()).as("docker-registry is not installed").isTrue();
    TestRegistry reg = Registries.plainWith("multiarch");
    try (Berth berth = Berth.builder().home(tmp.resolve("home")).registryMirror(reg.host())
        .platform(Platform.ofJvmArch(osArch)).build()) {
      Image image = berth.pull("multiarch");
      Path rootfs = tmp.resolve("rootfs");
      image.unpackTo(rootfs);
      assertThat(Files.readString(rootfs.resolve("arch"))).isEqualTo(expected + "\n");
      assertThat(image.inspect().platform().toString()).isEqualTo(expected);
    }
  }

  @Test
  void current_isTheJvmsArch_mappedToGoNames() {
    assertThat(Platform.current()).isEqualTo(Platform.ofJvmArch(System.getProperty("os.arch")));
    assertThat(Platform.ofJvmArch("aarch64")).isEqualTo(Platform.parse("linux/arm64/v8"));
    assertThat(Platform.ofJvmArch("amd64")).isEqualTo(Platform.parse("linux/amd64"));
  }
}
