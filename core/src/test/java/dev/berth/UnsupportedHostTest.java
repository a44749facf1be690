package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first call on a host Berth cannot serve, in a real JVM whose os.name and os.arch say macOS,
 * Windows or an unknown CPU: a clear {@link UnsupportedEnvironmentException}, and no JNA class
 * loaded, no helper extracted, no home created on the way.
 */
class UnsupportedHostTest {
  private static final String OR_DOCKER_HOST = " Or, to use a Docker Engine API you already run"
      + " (Docker Desktop, podman machine, Colima, a Linux machine) as a remote engine, set"
      + " DOCKER_HOST (or Berth.builder().dockerHost(…)) or a Docker context.";

  @TempDir Path tmp;

  @Test
  void build_onMacOs_refusesNamingTheHostAndTheFix_beforeJnaLoads() throws Exception {
    List<String> out = run("Mac OS X", "aarch64", "build");
    assertThat(refusal(out)).isEqualTo("refused: UnsupportedEnvironmentException: Berth runs containers with"
        + " the Linux kernel (namespaces, cgroups, overlay), and this host is Mac OS X (aarch64). Run this"
        + " program on Linux: in a Linux VM (Lima, Colima, UTM, a cloud machine), or in a Linux container"
        + " started with --privileged, with a JDK 17 or newer there." + OR_DOCKER_HOST);
    assertNothingNativeLoaded(out);
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  @Test
  void defaultEngine_onMacOs_withDockerHost_isTheRemoteEngine_beforeJnaLoads() throws Exception {
    Path socket = tmp.resolve("nothing-listens.sock");
    List<String> out = run("Mac OS X", "aarch64", "default", "unix://" + socket);
    // the remote engine was chosen: it asked that socket (nobody answers there) and named it
    assertThat(refusal(out)).startsWith("refused: BerthException: cannot reach the Docker engine at unix://" + socket);
    assertNothingNativeLoaded(out);
  }

  @Test
  void defaultEngine_onWindows_refusesPointingToWsl_beforeJnaLoads() throws Exception {
    List<String> out = run("Windows 11", "amd64", "default");
    assertThat(refusal(out)).startsWith("refused: UnsupportedEnvironmentException: Berth runs containers")
        .contains("this host is Windows 11 (amd64)", "in WSL 2 or a Linux VM");
    assertNothingNativeLoaded(out);
  }

  @Test
  void build_onLinuxWithACpuWithoutHelper_refusesNamingTheCpu_beforeJnaLoads() throws Exception {
    List<String> out = run("Linux", "riscv64", "build");
    assertThat(refusal(out)).isEqualTo("refused: UnsupportedEnvironmentException: Berth has no native helper"
        + " for the CPU riscv64 (this host is Linux (riscv64)); it ships helpers for x86_64 (amd64) and"
        + " aarch64 (arm64). Run on one of those, or build Berth from source on this machine (its helper"
        + " needs gcc and core/src/main/c/build.sh)." + OR_DOCKER_HOST);
    assertNothingNativeLoaded(out);
  }

  @Test
  void build_onThisLinux_opens() throws Exception {
    List<String> out = run(System.getProperty("os.name"), System.getProperty("os.arch"), "build");
    assertThat(out).anyMatch(l -> l.startsWith("opened Berth{home="));
  }

  private List<String> run(String osName, String osArch, String how) throws Exception {
    return run(osName, osArch, how, null);
  }

  /** @param dockerHost the child's DOCKER_HOST, or null for none (whatever this JVM has) */
  private List<String> run(String osName, String osArch, String how, String dockerHost) throws Exception {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    env.put("DOCKER_HOST", dockerHost);
    env.put("DOCKER_CONTEXT", null);
    env.put("DOCKER_CONFIG", tmp.resolve("no-docker-config").toString()); // no context, no currentContext
    Process p = ChildJvm.startWith(List.of("-Dos.name=" + osName, "-Dos.arch=" + osArch, "-verbose:class"),
        env, UnsupportedHostMain.class, how, tmp.resolve("home").toString());
    List<String> lines = new ArrayList<>();
    try (var r = p.inputReader(StandardCharsets.UTF_8)) {
      r.lines().forEach(lines::add);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return lines;
  }

  private static String refusal(List<String> out) {
    return out.stream().filter(l -> l.startsWith("refused: ") || l.startsWith("opened ")).findFirst()
        .orElseThrow(() -> new AssertionError("the child printed no outcome: " + out.subList(Math.max(0, out.size() - 20), out.size())));
  }

  /** -verbose:class names every class the JVM loads: JNA's, or our bindings, must not be among them. */
  private void assertNothingNativeLoaded(List<String> out) throws Exception {
    assertThat(out).anyMatch(l -> l.contains("dev.berth.internal.runtime.HostSupport"));
    assertThat(out).noneMatch(l -> l.contains("com.sun.jna.") || l.contains("dev.berth.internal.linux.LibC")
        || l.contains("dev.berth.internal.linux.Syscalls"));
    try (var files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }
}
