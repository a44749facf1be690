package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

/** Checks of resource limits, stats and pause that more than one way of starting must pass. */
final class LimitChecks {
  private LimitChecks() {}

  /**
   * A shell forking 40 sleeps in a container limited to 10 pids: the limit must stop it.
   *
   * @param before shell commands run first (e.g. a pause)
   * @param check more assertions on the running container
   */
  static void assertStoppedByPidsLimit(Image busybox, String before, Consumer<Container> check)
      throws Exception {
    try (Container c = busybox.run(RunOptions.builder().pidsLimit(10).command("sh", "-c",
        before + "i=0; while [ $i -lt 40 ]; do sleep 5 & i=$((i+1)); done; echo all forked").build())) {
      check.accept(c);
      String out = new String(c.getInputStream().readAllBytes());
      String err = new String(c.getErrorStream().readAllBytes());
      assertThat(c.waitFor()).isNotZero();
      assertThat(out).doesNotContain("all forked");
      assertThat(err).contains("can't fork: Resource temporarily unavailable");
    }
  }

  /**
   * A busy loop under a 64 MiB limit: stats report memory, CPU and one pid; pause freezes it
   * (state PAUSED, CPU time stops) and unpause thaws it.
   *
   * @param check more assertions on the running container
   * @param whilePaused more assertions while it is paused
   */
  static void assertStatsAndPause(Image busybox, Consumer<Container> check,
      Consumer<Container> whilePaused) throws Exception {
    try (Container c = busybox.run(RunOptions.builder().memory(64L << 20)
        .command("sh", "-c", "while :; do :; done").build())) {
      check.accept(c);
      Thread.sleep(300);
      ContainerStats s = c.stats();
      assertThat(s.memoryLimitBytes()).isEqualTo(64L << 20);
      assertThat(s.memoryUsageBytes()).isPositive();
      assertThat(s.pids()).isEqualTo(1);
      assertThat(s.cpuTime()).isPositive();
      c.pause();
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.PAUSED);
      assertThat(c.inspect().status()).endsWith("(Paused)");
      whilePaused.accept(c);
      long frozen = c.stats().cpuTime().toNanos();
      Thread.sleep(300);
      assertThat(c.stats().cpuTime().toNanos()).isLessThan(frozen + 20_000_000L);
      c.unpause();
      assertThat(c.inspect().state()).isEqualTo(ContainerInfo.State.RUNNING);
    }
  }
}
