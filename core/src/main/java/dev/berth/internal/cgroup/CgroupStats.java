package dev.berth.internal.cgroup;

import java.util.OptionalLong;

/**
 * A snapshot of a container's resource use, read from its cgroup. A value is empty when the host
 * does not account it (its controller is missing) or, for the limit, when there is none.
 *
 * @param memoryUsageBytes memory in use now, page cache included (memory.usage_in_bytes or
 *     memory.current)
 * @param memoryLimitBytes the memory limit in force
 * @param cpuTimeNanos CPU time used by all the container's processes since it started
 * @param pidsCurrent processes and threads now in the container
 */
public record CgroupStats(
    OptionalLong memoryUsageBytes,
    OptionalLong memoryLimitBytes,
    OptionalLong cpuTimeNanos,
    OptionalLong pidsCurrent) {

  @Override
  public String toString() {
    return "CgroupStats[memory=" + show(memoryUsageBytes) + "/" + show(memoryLimitBytes)
        + " cpuNanos=" + show(cpuTimeNanos) + " pids=" + show(pidsCurrent) + "]";
  }

  private static String show(OptionalLong value) {
    return value.isPresent() ? Long.toString(value.getAsLong()) : "-";
  }
}
