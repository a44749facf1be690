package dev.berth;

/**
 * The resource-limits concern of {@link RunOptionsBuilder}: each setter replaces one value of
 * the immutable {@link RunOptions.Limits}, whose constructor checks Docker's bounds.
 */
final class LimitsBuilder {
  private RunOptions.Limits limits;
  private boolean bestEffort;

  LimitsBuilder(RunOptions.Limits limits, boolean bestEffort) {
    this.limits = limits;
    this.bestEffort = bestEffort;
  }

  void memory(long bytes) {
    set(bytes, limits.memorySwapBytes(), limits.cpus(), limits.cpuShares(), limits.pidsLimit());
  }

  void memorySwap(long bytes) {
    set(limits.memoryBytes(), bytes, limits.cpus(), limits.cpuShares(), limits.pidsLimit());
  }

  void cpus(double cpus) {
    set(limits.memoryBytes(), limits.memorySwapBytes(), cpus, limits.cpuShares(),
        limits.pidsLimit());
  }

  void cpuShares(long shares) {
    set(limits.memoryBytes(), limits.memorySwapBytes(), limits.cpus(), shares, limits.pidsLimit());
  }

  void pidsLimit(long max) {
    set(limits.memoryBytes(), limits.memorySwapBytes(), limits.cpus(), limits.cpuShares(), max);
  }

  private void set(long memory, long swap, double cpus, long shares, long pids) {
    limits = new RunOptions.Limits(memory, swap, cpus, shares, pids);
  }

  void bestEffort(boolean bestEffort) {
    this.bestEffort = bestEffort;
  }

  RunOptions.Limits limits() {
    return limits;
  }

  boolean bestEffort() {
    return bestEffort;
  }
}
