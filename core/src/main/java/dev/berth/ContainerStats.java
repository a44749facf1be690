package dev.berth;

import java.time.Duration;

/**
 * A container's resource use now, as {@code docker stats} shows it; -1 where the host does not
 * account a value (its cgroup controller is missing) or there is no limit.
 *
 * @param memoryUsageBytes memory in use, page cache included
 * @param memoryLimitBytes the memory limit, or -1 for none
 * @param cpuTime CPU time its processes used since it started
 * @param pids processes and threads in it now
 */
public record ContainerStats(long memoryUsageBytes, long memoryLimitBytes, Duration cpuTime,
    long pids) {}
