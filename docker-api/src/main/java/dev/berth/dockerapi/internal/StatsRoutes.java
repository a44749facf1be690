package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Container;
import dev.berth.ContainerStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;

/**
 * {@code GET /containers/{id}/stats}: Docker's stats document, one-shot or every second. CPU
 * percentages come out right in the CLI because each document carries the previous sample
 * ({@code precpu_stats}) beside the host's total CPU time ({@code system_cpu_usage}).
 */
final class StatsRoutes {
  private final ContainerRoutes containers;

  StatsRoutes(ContainerRoutes containers) {
    this.containers = containers;
  }

  void register(Router r) {
    r.on("GET", "/containers/([^/]+)/stats", this::stats);
  }

  private record Sample(Instant time, ContainerStats stats, long systemNanos) {}

  private void stats(Exchange ex, Matcher m) throws IOException, InterruptedException {
    Container c = containers.find(m.group(1));
    boolean stream = ex.flag("stream", true);
    boolean oneShot = ex.flag("one-shot", false);
    Sample previous = sample(c);
    if (!stream && !oneShot) {
      // Docker waits a second so that the one document has a CPU delta.
      Thread.sleep(1000);
    }
    Sample now = !stream && oneShot ? previous : sample(c);
    if (!stream) {
      ex.json(200, document(c, now, stream && !oneShot ? null : previous));
      return;
    }
    OutputStream out = ex.stream(200, "application/json");
    while (!ex.clientGone()) {
      out.write(Json.line(document(c, now, previous)));
      if (!c.inspect().isRunning()) {
        break;
      }
      Thread.sleep(1000);
      previous = now;
      now = sample(c);
    }
    out.close();
  }

  private static Sample sample(Container c) {
    ContainerStats s = c.inspect().isRunning() ? c.stats() : null;
    return new Sample(Instant.now(), s, systemCpuNanos());
  }

  private static ObjectNode document(Container c, Sample now, Sample pre) {
    ObjectNode d = Json.object();
    d.put("name", "/" + c.name());
    d.put("id", c.id());
    d.put("read", now.time().toString());
    d.put("preread", pre == null ? Json.time(null) : pre.time().toString());
    ContainerStats s = now.stats();
    d.set("pids_stats", Json.object().put("current", s == null ? 0 : Math.max(0, s.pids())));
    d.set("cpu_stats", cpu(now));
    d.set("precpu_stats", pre == null ? Json.object() : cpu(pre));
    ObjectNode mem = Json.object();
    if (s != null) {
      mem.put("usage", Math.max(0, s.memoryUsageBytes()));
      mem.put("limit", s.memoryLimitBytes() > 0 ? s.memoryLimitBytes() : SystemRoutes.memTotal());
      mem.set("stats", Json.object());
    }
    d.set("memory_stats", mem);
    d.set("blkio_stats", Json.object());
    d.put("num_procs", 0);
    d.set("storage_stats", Json.object());
    return d;
  }

  private static ObjectNode cpu(Sample s) {
    ObjectNode cpu = Json.object();
    long total = s.stats() == null ? 0 : s.stats().cpuTime().toNanos();
    cpu.set("cpu_usage", Json.object().put("total_usage", total)
        .put("usage_in_kernelmode", 0).put("usage_in_usermode", total));
    cpu.put("system_cpu_usage", s.systemNanos());
    cpu.put("online_cpus", Runtime.getRuntime().availableProcessors());
    cpu.set("throttling_data", Json.object().put("periods", 0).put("throttled_periods", 0)
        .put("throttled_time", 0));
    return cpu;
  }

  /** The host's total CPU time (all CPUs, all states) from /proc/stat, in nanoseconds. */
  private static long systemCpuNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long ticks = 0;
      String[] f = first.trim().split("\\s+");
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * (1_000_000_000L / 100); // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }


}
