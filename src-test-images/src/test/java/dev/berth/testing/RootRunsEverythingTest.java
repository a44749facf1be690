package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.TestAbortedException;

/** A root run fails skips that are not the machine's; any other user's skips stay skips. */
class RootRunsEverythingTest {
  @Test
  void judge_rootAndAPlainAssumption_turnsTheSkipIntoAFailureNamingIt() {
    Throwable t = RootRunsEverything.judge(true, "pull()", new TestAbortedException("needs skopeo"));
    assertThat(t).isInstanceOf(AssertionError.class)
        .hasMessageContaining("'pull()' skipped while the suite runs as root: needs skopeo")
        .hasMessageContaining("MachineLacks.assume");
  }

  @Test
  void judge_rootAndMachineLacks_keepsTheSkip() {
    Throwable lacks = catchLacks();
    assertThat(RootRunsEverything.judge(true, "t", lacks)).isSameAs(lacks);
    assertThat(lacks).hasMessage("this machine lacks cgroup v2 controllers");
  }

  @Test
  void judge_notRoot_keepsEverySkip() {
    TestAbortedException skip = new TestAbortedException("needs root");
    assertThat(RootRunsEverything.judge(false, "t", skip)).isSameAs(skip);
  }

  @Test
  void judge_realFailure_isLeftAlone() {
    AssertionError failure = new AssertionError("boom");
    assertThat(RootRunsEverything.judge(true, "t", failure)).isSameAs(failure);
  }

  /** The extension as JUnit finds it (auto-detection through this jar's META-INF/services). */
  @Test
  void autodetected_inAJupiterRun_judgesSkipsInTestsAndBeforeAll() {
    Events plain = run(SkipsPlainly.class);
    Events lacks = run(SkipsForTheMachine.class);
    Events inBeforeAll = run(SkipsInBeforeAll.class);
    assertThat(lacks.aborted().count()).isEqualTo(1);
    if (RootRunsEverything.isRoot()) {
      assertThat(plain.failed().count()).isEqualTo(1);
      assertThat(inBeforeAll.failed().count()).isEqualTo(1);
    } else {
      assertThat(plain.aborted().count()).isEqualTo(1);
      assertThat(inBeforeAll.aborted().count()).isEqualTo(1);
    }
  }

  private static Events run(Class<?> type) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(type)).execute().allEvents();
  }

  private static Throwable catchLacks() {
    try {
      MachineLacks.assume(false, "cgroup v2 controllers");
      throw new AssertionError("assume(false, …) must throw");
    } catch (MachineLacks e) {
      return e;
    }
  }

  static class SkipsPlainly {
    @Test
    void skips() {
      assumeTrue(false, "needs a tool");
    }
  }

  static class SkipsForTheMachine {
    @Test
    void skips() {
      MachineLacks.assume(false, "a device");
    }
  }

  static class SkipsInBeforeAll {
    @BeforeAll
    static void skip() {
      assumeTrue(false, "needs a tool");
    }

    @Test
    void never() {}
  }
}
