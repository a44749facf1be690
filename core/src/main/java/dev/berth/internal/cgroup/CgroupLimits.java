package dev.berth.internal.cgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Resource limits for one container, in Docker's units and with Docker's rules. A zero field
 * means "not set": the container inherits its parent's limit.
 *
 * <pre>{@code
 * CgroupLimits limits = CgroupLimits.builder().memory(512 << 20).cpus(1.5).pidsMax(100).build();
 * }</pre>
 *
 * @param memoryBytes memory limit ({@code --memory}); at least 6 MiB when set
 * @param memorySwapBytes memory plus swap ({@code --memory-swap}); at least memoryBytes, or -1
 *     for unlimited swap; needs memoryBytes
 * @param cpuQuotaMicros CPU time the container may use per period ({@code --cpu-quota}); at least
 *     1000 when set
 * @param cpuPeriodMicros the period of cpuQuotaMicros, 1000 to 1000000; 100000 when 0 and a quota
 *     is set
 * @param cpuShares relative CPU weight on cgroup v1 ({@code --cpu-shares}), 2 to 262144; turned
 *     into cpu.weight on v2 by {@link #cpuWeight()}
 * @param pidsMax the most processes and threads the container may have ({@code --pids-limit})
 */
public record CgroupLimits(
    long memoryBytes,
    long memorySwapBytes,
    long cpuQuotaMicros,
    long cpuPeriodMicros,
    long cpuShares,
    long pidsMax) {

  /** No limit at all. */
  public static final CgroupLimits NONE = new CgroupLimits(0, 0, 0, 0, 0, 0);

  /** Docker's floor: the kernel needs some memory to run the container's first process. */
  public static final long MIN_MEMORY = 6L << 20;

  static final long DEFAULT_PERIOD = 100_000;
  static final long MAX_SHARES = 262_144;

  /** @throws IllegalArgumentException naming the field, the value and the allowed range */
  public CgroupLimits {
    if (memoryBytes < 0 || (memoryBytes > 0 && memoryBytes < MIN_MEMORY)) {
      throw new IllegalArgumentException("memory limit " + memoryBytes
          + " bytes is too small: Minimum memory limit allowed is 6MB (6291456 bytes)");
    }
    checkSwap(memoryBytes, memorySwapBytes);
    if (cpuPeriodMicros != 0 && (cpuPeriodMicros < 1000 || cpuPeriodMicros > 1_000_000)) {
      throw new IllegalArgumentException("CPU period " + cpuPeriodMicros
          + "µs is out of range: CPU cfs period can not be less than 1ms (i.e. 1000)"
          + " or larger than 1 second (i.e. 1000000)");
    }
    if (cpuQuotaMicros < 0 || (cpuQuotaMicros > 0 && cpuQuotaMicros < 1000)) {
      throw new IllegalArgumentException("CPU quota " + cpuQuotaMicros
          + "µs is too small: CPU cfs quota can not be less than 1ms (i.e. 1000)");
    }
    if (cpuQuotaMicros > 0 && cpuPeriodMicros == 0) {
      cpuPeriodMicros = DEFAULT_PERIOD;
    }
    if (cpuShares < 0 || cpuShares == 1 || cpuShares > MAX_SHARES) {
      throw new IllegalArgumentException("CPU shares " + cpuShares
          + " are out of range: use 2 to 262144 (1024 is the default weight), or 0 for none");
    }
    if (pidsMax < 0) {
      throw new IllegalArgumentException("pids limit " + pidsMax
          + " is invalid: use a positive number of processes, or 0 for no limit");
    }
  }

  private static void checkSwap(long memory, long swap) {
    if (swap == 0) {
      return;
    }
    if (memory == 0) {
      throw new IllegalArgumentException("memory+swap limit " + swap + " given without a memory"
          + " limit: You should always set the Memory limit when using Memoryswap limit");
    }
    if (swap != -1 && swap < memory) {
      throw new IllegalArgumentException("memory+swap limit " + swap + " is below the memory limit "
          + memory + ": Minimum memoryswap limit should be larger than memory limit"
          + " (use -1 for unlimited swap)");
    }
  }

  /** @return a builder with no limit set */
  public static Builder builder() {
    return new Builder(NONE);
  }

  /** @return a builder starting from these limits */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** @return whether no limit is set */
  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * The cgroup v2 cpu.weight (1 to 10000) for {@link #cpuShares()}, by the linear mapping runc and
   * crun use, so that the default 1024 shares become weight 39; 0 when no shares are set.
   */
  public long cpuWeight() {
    return cpuShares == 0 ? 0 : 1 + ((cpuShares - 2) * 9999) / (MAX_SHARES - 2);
  }

  /** A limit that is set, and the controller that enforces it. */
  record Need(String controller, String limit) {}

  /** @return the limits that are set, each with its controller */
  List<Need> needs() {
    List<Need> needs = new ArrayList<>();
    if (memoryBytes > 0) {
      needs.add(new Need("memory", "memory limit " + memoryBytes));
    }
    if (memorySwapBytes != 0) {
      needs.add(new Need("memory", "memory+swap limit " + memorySwapBytes));
    }
    if (cpuQuotaMicros > 0) {
      needs.add(new Need("cpu", "CPU quota " + cpuQuotaMicros + "/" + cpuPeriodMicros));
    }
    if (cpuShares > 0) {
      needs.add(new Need("cpu", "CPU shares " + cpuShares));
    }
    if (pidsMax > 0) {
      needs.add(new Need("pids", "pids limit " + pidsMax));
    }
    return needs;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("CgroupLimits[");
    append(s, "memory", memoryBytes);
    append(s, "memorySwap", memorySwapBytes);
    if (cpuQuotaMicros > 0) {
      s.append("cpu=").append(cpuQuotaMicros).append('/').append(cpuPeriodMicros).append(' ');
    }
    append(s, "cpuShares", cpuShares);
    append(s, "pidsMax", pidsMax);
    return s.toString().strip() + "]";
  }

  private static void append(StringBuilder s, String name, long value) {
    if (value != 0) {
      s.append(name).append('=').append(value).append(' ');
    }
  }

  /** Collects limits; {@link #build()} validates them all together. */
  public static final class Builder {
    private long memory;
    private long memorySwap;
    private long quota;
    private long period;
    private long shares;
    private long pids;

    private Builder(CgroupLimits from) {
      memory = from.memoryBytes;
      memorySwap = from.memorySwapBytes;
      quota = from.cpuQuotaMicros;
      period = from.cpuPeriodMicros;
      shares = from.cpuShares;
      pids = from.pidsMax;
    }

    /** {@code --memory}, in bytes. */
    public Builder memory(long bytes) {
      memory = bytes;
      return this;
    }

    /** {@code --memory-swap}: memory plus swap in bytes, or -1 for unlimited swap. */
    public Builder memorySwap(long bytes) {
      memorySwap = bytes;
      return this;
    }

    /**
     * {@code --cpus}: 1.5 means a quota of 150000µs per 100000µs period.
     *
     * @throws IllegalArgumentException when cpus is below 0.01
     */
    public Builder cpus(double cpus) {
      if (!(cpus >= 0.01)) {
        throw new IllegalArgumentException("cpus " + cpus
            + " is out of range: use at least 0.01, e.g. 1.5 for one and a half CPUs");
      }
      return cpuQuota(Math.round(cpus * DEFAULT_PERIOD), DEFAULT_PERIOD);
    }

    /** {@code --cpu-quota} and {@code --cpu-period}, in microseconds. */
    public Builder cpuQuota(long quotaMicros, long periodMicros) {
      quota = quotaMicros;
      period = periodMicros;
      return this;
    }

    /** {@code --cpu-shares}: relative weight, 1024 being the default. */
    public Builder cpuShares(long cpuShares) {
      shares = cpuShares;
      return this;
    }

    /** {@code --pids-limit}. */
    public Builder pidsMax(long max) {
      pids = max;
      return this;
    }

    /** @throws IllegalArgumentException when a limit is out of range (see the record fields) */
    public CgroupLimits build() {
      return new CgroupLimits(memory, memorySwap, quota, period, shares, pids);
    }
  }
}
