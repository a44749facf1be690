package dev.berth.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.berth.Berth;
import dev.berth.ContainerInfo;
import dev.berth.testsupport.FixtureEngines;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension, driving real test classes (the nested ones, run through the JUnit engine) and
 * checking their events and the containers they leave.
 */
@EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
    disabledReason = FixtureEngines.NOT_HERE)
class BerthExtensionTest {
  static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
  static Berth engine;

  @BeforeAll
  static void engine() {
    engine = FixtureEngines.with("busybox");
  }

  static Fixture sleeper(String marker) {
    return Fixture.builder("busybox").command("sh", "-c", "echo up " + marker + "; sleep 60")
        .waitingFor(Wait.forLogMessage("^up", 1)).startupTimeout(Duration.ofSeconds(20))
        .build();
  }

  private static Events run(Class<?> testClass) {
    SEEN.clear();
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
        .testEvents();
  }

  private static List<ContainerInfo> fixtureContainers(String marker) {
    return engine.containers(true).stream()
        .filter(i -> String.join(" ", i.command()).contains("up " + marker + ";")).toList();
  }

  // ---- a static fixture: one container for the class, removed after it -------------------

  static class StaticFixtureCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture static final Fixture BOX = sleeper("static-case");

    @Test
    void one(RunningFixture box) {
      SEEN.add(box.container().id());
    }

    @Test
    void two(RunningFixture box) {
      SEEN.add(box.container().id());
      assertThat(box.container().isAlive()).isTrue();
    }
  }

  @Test
  void staticFixture_oneContainerForAllTests_removedAfterTheClass() {
    run(StaticFixtureCase.class).assertStatistics(s -> s.succeeded(2).failed(0));
    assertThat(SEEN).hasSize(1);
    assertThat(fixtureContainers("static-case")).isEmpty();
  }

  // ---- an instance fixture: one container per test --------------------------------------

  static class InstanceFixtureCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture final Fixture box = sleeper("instance-case");
    @Started("box") RunningFixture running;

    @Test
    void one() {
      SEEN.add(running.container().id());
    }

    @Test
    void two() {
      SEEN.add(running.container().id());
    }
  }

  @Test
  void instanceFixture_aContainerPerTest_injectedIntoAStartedField() {
    run(InstanceFixtureCase.class).assertStatistics(s -> s.succeeded(2).failed(0));
    assertThat(SEEN).hasSize(2);
    assertThat(fixtureContainers("instance-case")).isEmpty();
  }

  // ---- several fixtures start in parallel -----------------------------------------------

  static class ParallelCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    static final Duration SLOW = Duration.ofMillis(1500);
    @BerthFixture static final Fixture A = slow("parallel-a");
    @BerthFixture static final Fixture B = slow("parallel-b");
    @BerthFixture static final Fixture C = slow("parallel-c");

    static Fixture slow(String marker) {
      return sleeper(marker).toBuilder()
          // the kernel's uptime (one clock for every container) when the wait began, then 1.5 s
          .waitingFor(Wait.forCommand("sh", "-c", "cut -d' ' -f1 /proc/uptime > /tmp/wait-began && sleep 1.5"))
          .build();
    }

    @Test
    void all(@Started("A") RunningFixture a, @Started("B") RunningFixture b,
        @Started("C") RunningFixture c) throws InterruptedException {
      for (RunningFixture f : List.of(a, b, c)) {
        // one entry a fixture: two waits may begin in the same hundredth of a second
        SEEN.add(f.container().id() + " " + f.container().exec("cat", "/tmp/wait-began").stdout().trim());
      }
    }
  }

  @Test
  void severalFixtures_startInParallel() {
    run(ParallelCase.class).assertStatistics(s -> s.succeeded(1).failed(0));
    assertThat(SEEN).hasSize(3);
    // one after another, each 1.5 s wait would begin after the one before it ended: 3 s from the
    // first to the last. In parallel they overlap. (The whole run's wall time also counts the
    // engine's set-up and the removals: on a remote engine that varies by seconds.)
    List<Double> began = SEEN.stream().map(s -> Double.parseDouble(s.split(" ")[1])).sorted().toList();
    assertThat(began.get(2) - began.get(0)).as("seconds between the first wait's start and the last's: %s", began)
        .isLessThan(1.4);
  }

  // ---- a fixture shared by several classes for the whole run ----------------------------

  static class SharedCaseOne {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture(shared = true) static final Fixture BOX = sleeper("shared-case");

    @Test
    void one(RunningFixture box) {
      SEEN.add(box.container().id());
    }
  }

  static class SharedCaseTwo {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture(shared = true) static final Fixture SAME = sleeper("shared-case");

    @Test
    void two(RunningFixture box) {
      SEEN.add(box.container().id());
    }
  }

  @Test
  void sharedFixture_oneContainerForEveryClass_removedWhenTheRunEnds() {
    SEEN.clear();
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(SharedCaseOne.class), selectClass(SharedCaseTwo.class)).execute()
        .testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    assertThat(SEEN).hasSize(1);
    assertThat(fixtureContainers("shared-case")).isEmpty();
  }

  // ---- failures -------------------------------------------------------------------------

  static class FailingFixtureCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture static final Fixture BROKEN = Fixture.builder("busybox")
        .command("sh", "-c", "echo 'config file missing' >&2; exit 2")
        .waitingFor(Wait.forLogMessage("ready", 1)).build();
    @BerthFixture static final Fixture FINE = sleeper("failing-case");

    @Test
    void never(@Started("FINE") RunningFixture fine) {}
  }

  @Test
  void failingFixture_failsTheClassWithItsLogs_andRemovesTheOthers() {
    Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingFixtureCase.class))
        .execute().allEvents();
    all.assertThatEvents().haveExactly(1, event(finishedWithFailure(
        message(m -> m.contains("exited with code 2") && m.contains("config file missing")))));
    assertThat(fixtureContainers("failing-case")).isEmpty();
  }

  static class AmbiguousCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture static final Fixture A = sleeper("ambiguous-a");
    @BerthFixture static final Fixture B = sleeper("ambiguous-b");

    @Test
    void which(RunningFixture f) {}
  }

  @Test
  void parameterWithoutName_amongSeveral_failsAskingForStarted() {
    run(AmbiguousCase.class).assertThatEvents().haveExactly(1, event(test("which"),
        finishedWithFailure(message(m -> m.contains("@Started(\"<field>\")")
            && (m.contains("[A, B]") || m.contains("[B, A]"))))));
  }

  static class WrongTypeCase {
    @BerthFixture static final String NOT_A_FIXTURE = "redis";

    @Test
    void never() {}
  }

  @Test
  void fixtureFieldOfWrongType_failsNamingTheField() {
    Events all = EngineTestKit.engine("junit-jupiter").selectors(selectClass(WrongTypeCase.class))
        .execute().allEvents();
    all.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m ->
        m.contains("WrongTypeCase.NOT_A_FIXTURE") && m.contains("declare it as a Fixture")))));
  }

  static class UnknownNameCase {
    @FixtureEngine static final Berth ENGINE = FixtureEngines.with("busybox");
    @BerthFixture static final Fixture BOX = sleeper("unknown-name");

    @Test
    void which(@Started("DB") RunningFixture f) {}
  }

  @Test
  void startedWithUnknownName_failsListingTheFixtures() {
    run(UnknownNameCase.class).assertThatEvents().haveExactly(1, event(test("which"),
        finishedWithFailure(message(m -> m.contains("'DB'") && m.contains("[BOX]")))));
  }

  @AfterAll
  static void noneLeft() {
    if (engine != null) {
      assertThat(engine.containers(true)).filteredOn(i -> i.labels().containsKey(FixtureStarter.LABEL))
          .isEmpty();
    }
  }
}
