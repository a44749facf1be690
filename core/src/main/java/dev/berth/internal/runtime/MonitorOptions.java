package dev.berth.internal.runtime;

/**
 * How the monitor treats a container beyond its process: whether its output also flows to the
 * JVM, and whether the monitor removes the container's directory once it has exited.
 *
 * @param relay true: output goes to the JVM and the log; false: the log only (detached)
 * @param autoRemove true: the monitor deletes the container directory after the exit (--rm),
 *     whether or not the JVM still runs
 * @param ownerPid a process whose end makes the monitor kill and remove the container, or 0
 */
public record MonitorOptions(boolean relay, boolean autoRemove, long ownerPid) {
  /** Output to the JVM and the log; the directory stays. */
  public static final MonitorOptions ATTACHED = new MonitorOptions(true, false);

  /** @throws IllegalArgumentException for a negative owner pid */
  public MonitorOptions {
    if (ownerPid < 0) {
      throw new IllegalArgumentException("owner pid " + ownerPid + " must be a pid, or 0 for none");
    }
  }

  /** Options without an owner process. */
  public MonitorOptions(boolean relay, boolean autoRemove) {
    this(relay, autoRemove, 0);
  }
}
