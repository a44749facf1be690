package dev.berth.internal.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * How the monitor treats a container beyond its process: whether its output also flows to the
 * JVM, whether the monitor removes the container's directory once it has exited, and which
 * cgroups it puts the container in.
 *
 * @param relay true: output goes to the JVM and the log; false: the log only (detached)
 * @param autoRemove true: the monitor deletes the container directory after the exit (--rm),
 *     whether or not the JVM still runs
 * @param cgroups cgroup directories (made and limited by the JVM) the container joins before it
 *     runs; the monitor records an OOM kill and removes them after the exit
 * @param ownerPid a process whose end makes the monitor kill and remove the container, or 0
 */
public record MonitorOptions(boolean relay, boolean autoRemove, List<Path> cgroups, long ownerPid) {
  /** Output to the JVM and the log; the directory stays; no cgroups. */
  public static final MonitorOptions ATTACHED = new MonitorOptions(true, false);

  /** @throws IllegalArgumentException for a negative owner pid */
  public MonitorOptions {
    cgroups = List.copyOf(cgroups);
    if (ownerPid < 0) {
      throw new IllegalArgumentException("owner pid " + ownerPid + " must be a pid, or 0 for none");
    }
  }

  /** Options without cgroups or an owner process. */
  public MonitorOptions(boolean relay, boolean autoRemove) {
    this(relay, autoRemove, List.of(), 0);
  }
}
