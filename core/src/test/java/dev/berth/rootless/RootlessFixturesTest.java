package dev.berth.rootless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The fixture test classes of {@code dev.berth.junit}, run as they are (through the JUnit
 * Platform launcher, by {@link RootlessFixturesMain}) in a JVM of the unprivileged user {@value
 * RootlessRun#FIXTURE_USER} (see {@link RootlessRun}): the same tests prove fixtures as root (in
 * the test JVM) and rootless (here). Each of their tests is a dynamic test here, passing, failing
 * or aborted as it did there. The user is this test's alone, so whatever runs as it or its
 * subordinate ids after the run was left by the run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootlessFixturesTest {
  static final List<String> CLASSES = Stream.of("PostgresFixtureTest", "RedisFixtureTest",
      "BerthExtensionTest", "FixtureStartTest", "CrashCleanupTest").map(c -> "dev.berth.junit." + c).toList();

  @AutoClose private RootlessRun run;
  private Map<String, String> said;

  @BeforeAll
  void runFixtureTestsAsUnprivilegedUser() throws Exception {
    run = RootlessRun.start(RootlessRun.FIXTURE_USER, Map.of(), List.of("busybox", "postgres", "redis"),
        RootlessFixturesMain.class, work -> CLASSES);
    said = run.said();
  }

  @Test
  void fixtures_ranRootlessWithTheFullIdRange() {
    assertThat(said.get("info.userNamespace")).isEqualTo("FULL_RANGE");
  }

  @TestFactory
  Stream<DynamicTest> eachFixtureTest_asTheUnprivilegedUser_passes() {
    return said.entrySet().stream().filter(e -> e.getKey().startsWith("test.")).map(e ->
        dynamicTest(e.getKey().substring("test.dev.berth.junit.".length()), () -> {
          if (e.getValue().startsWith("SKIPPED") || e.getValue().startsWith("ABORTED")) {
            // as an unprivileged user only what needs root may skip; any other skip is a
            // missing install step or a broken probe, which must not pass as green
            assertThat(e.getValue()).as("skipped as " + RootlessRun.FIXTURE_USER + ": " + e.getKey())
                .contains("need root");
            return;
          }
          assertThat(e.getValue()).as(e.getKey()).isEqualTo("SUCCESSFUL");
        }));
  }

  @Test
  void everyFixtureTestClass_ranItsTests() {
    for (String c : CLASSES) {
      assertThat(said).as(c).doesNotContainKey("class." + c)
          .hasKeySatisfying(new org.assertj.core.api.Condition<>(k -> k.startsWith("test." + c + "#"), "a test of " + c));
    }
  }

  @Test
  void afterTheRun_noContainerIsLeftInTheUsersHome() throws IOException {
    Path containers = run.home().resolve("containers");
    try (Stream<Path> left = Files.exists(containers) ? Files.list(containers) : Stream.empty()) {
      assertThat(left).isEmpty();
    }
  }

  /** Monitors, container processes (subordinate ids) and holder JVMs are all gone. */
  @Test
  void afterTheRun_nothingRunsAsTheUserOrItsSubordinateIds() throws Exception {
    long[] range = RootlessRun.subordinateUids(RootlessRun.FIXTURE_USER);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    List<String> left;
    do {
      left = RootlessRun.processesOf(run.uid(), range[0], range[1]);
    } while (!left.isEmpty() && System.nanoTime() < deadline && sleep());
    assertThat(left).isEmpty();
  }

  private static boolean sleep() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }
}
