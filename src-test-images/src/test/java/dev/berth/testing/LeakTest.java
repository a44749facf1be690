package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a test JVM leaves behind when it dies: no registry, and its temp dir is swept by the next. */
class LeakTest {
  @BeforeAll
  static void needsRegistry() {
    assumeTrue(TestRegistry.available(), "needs /usr/bin/docker-registry (Debian package docker-registry)");
  }

  private record Child(Process jvm, long registryPid, Path dir) { }

  private static Child startChild(String variant) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        RegistryHolder.class.getName(), variant).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(line).as("child JVM output").isNotNull();
    String[] parts = line.split(" ", 2);
    return new Child(jvm, Long.parseLong(parts[0]), Path.of(parts[1]));
  }

  @Test
  void jvmKilled_registryDiesWithIt() throws Exception {
    Child child = startChild("PLAIN");
    Optional<ProcessHandle> registry = ProcessHandle.of(child.registryPid());
    assertThat(registry).isPresent();
    child.jvm().destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
    assertThat(registry.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    TempDirs.sweepStale("berth-registry-");
  }

  @Test
  void jvmTerminated_shutdownHookKillsTheRegistryAndDeletesItsDir() throws Exception {
    Child child = startChild("TOKEN");
    child.jvm().destroy(); // SIGTERM: shutdown hooks run
    assertThat(child.jvm().waitFor(10, TimeUnit.SECONDS)).isTrue();
    ProcessHandle.of(child.registryPid()).ifPresent(p -> assertThat(p.isAlive()).as("registry still running").isFalse());
    assertThat(child.dir()).doesNotExist();
  }

  @Test
  void close_leavesNoChildProcess() {
    Set<Long> before = children();
    TestRegistry.start(TestRegistry.Variant.BASIC).close();
    assertThat(children()).isEqualTo(before);
  }

  private static Set<Long> children() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  @Test
  void jvmKilled_nextSweepDeletesItsTempDir() throws Exception {
    Child child = startChild("PLAIN");
    child.jvm().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    ProcessHandle.of(child.registryPid()).ifPresent(p -> p.onExit().join());
    assertThat(child.dir()).exists();
    TempDirs.sweepStale("berth-registry-");
    assertThat(child.dir()).doesNotExist();
  }

  @Test
  void sweep_leavesTheDirsOfLiveJvms() {
    TestRegistry registry = TestRegistry.start(TestRegistry.Variant.PLAIN);
    try (registry) {
      TempDirs.sweepStale("berth-registry-");
      assertThat(registry.directory()).exists();
    }
  }
}
