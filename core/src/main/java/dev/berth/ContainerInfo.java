package dev.berth;

import dev.berth.internal.runtime.DockerText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one container, as {@code docker ps -a} and {@code docker inspect} show it.
 *
 * @param id the 64-hex container id
 * @param name the container's name
 * @param image the image as it was asked for ({@code node}, {@code localhost:5000/app:1})
 * @param imageId the image id (config digest)
 * @param command the process's argv (entrypoint + cmd)
 * @param created when the container was created
 * @param state the lifecycle state
 * @param exitCode the exit code once exited, else 0
 * @param startedAt when its process started, or null
 * @param finishedAt when its process exited, or null
 * @param pid the host pid of its init while running, else 0
 * @param oomKilled true when the kernel killed it for exceeding its memory limit
 * @param ports published ports
 * @param labels the container's labels
 * @param userNamespace how the container's ids map to the host's (rootless: single or full range)
 * @param rootfs how its root file system was made (overlay, overlay with userxattr, …)
 */
public record ContainerInfo(
    String id,
    String name,
    String image,
    String imageId,
    List<String> command,
    Instant created,
    State state,
    int exitCode,
    Instant startedAt,
    Instant finishedAt,
    long pid,
    boolean oomKilled,
    List<PortMapping> ports,
    Map<String, String> labels,
    HostInfo.UserNamespace userNamespace,
    HostInfo.RootfsMode rootfs) {

  /** Lifecycle states, as Docker names them. */
  public enum State {
    /** Created, never started. */
    CREATED,
    /** Its process is running. */
    RUNNING,
    /** Its processes are frozen. */
    PAUSED,
    /** Its process has exited (or is gone). */
    EXITED
  }

  public ContainerInfo {
    command = List.copyOf(command);
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
    java.util.Objects.requireNonNull(userNamespace, "userNamespace");
    java.util.Objects.requireNonNull(rootfs, "rootfs");
  }

  /** @return the first 12 hex digits of the id, as {@code docker ps} shows it */
  public String shortId() {
    return id.substring(0, 12);
  }

  /** @return true while the process runs (or is paused) */
  public boolean isRunning() {
    return state == State.RUNNING || state == State.PAUSED;
  }

  /** @return the STATUS column as Docker words it now: {@code Up 3 seconds}, {@code Exited (0) 2 minutes ago} */
  public String status() {
    return status(Instant.now());
  }

  /** @return the STATUS column as Docker would word it at {@code now} */
  public String status(Instant now) {
    return switch (state) {
      case CREATED -> "Created";
      case RUNNING -> DockerText.up(Duration.between(startedAt, now), false);
      case PAUSED -> DockerText.up(Duration.between(startedAt, now), true);
      case EXITED -> DockerText.exited(exitCode,
          Duration.between(finishedAt != null ? finishedAt : created, now));
    };
  }

  /** @return one line: short id, image, status, name */
  @Override
  public String toString() {
    return shortId() + " " + image + " \"" + String.join(" ", command) + "\" " + status() + " "
        + name;
  }
}
