package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostSupportTest {
  private static final Path PROC = Path.of("/proc/self/mountinfo");

  @ParameterizedTest
  @CsvSource({
      "Mac OS X,   aarch64, in a Linux VM (Lima",
      "Mac OS X,   x86_64,  in a Linux VM (Lima",
      "Windows 11, amd64,   in WSL 2 or a Linux VM",
      "Windows 10, aarch64, in WSL 2 or a Linux VM",
      "FreeBSD,    amd64,   'on Linux: in a Linux VM,'",
  })
  void problem_notLinux_namesTheHostAndWhereToRun(String os, String arch, String where) {
    assertThat(HostSupport.problem(os, arch, PROC, a -> true)).hasValueSatisfying(m -> assertThat(m)
        .startsWith("Berth runs containers with the Linux kernel")
        .contains("this host is " + os + " (" + arch + ")", where));
  }

  @ParameterizedTest
  @CsvSource({"riscv64", "s390x", "ppc64le", "arm", "x86"})
  void problem_cpuWithoutHelperInThisJar_namesTheCpu(String arch) {
    assertThat(HostSupport.problem("Linux", arch, PROC, HelperBinary::hasHelperFor))
        .hasValueSatisfying(m -> assertThat(m).startsWith("Berth has no native helper for the CPU " + arch + " "));
  }

  @ParameterizedTest
  @CsvSource({"amd64", "x86_64", "aarch64", "arm64"})
  void problem_linuxOnAShippedCpu_isNone(String arch) {
    assertThat(HostSupport.problem("Linux", arch, PROC, HelperBinary::hasHelperFor)).isEmpty();
  }

  @Test
  void problem_noProc_saysToMountIt() {
    assertThat(HostSupport.problem("Linux", "amd64", Path.of("/nonexistent/proc/self/mountinfo"), a -> true))
        .hasValueSatisfying(m -> assertThat(m).contains("mount -t proc proc /proc"));
  }
}
