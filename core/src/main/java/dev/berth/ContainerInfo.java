package dev.berth;

import dev.berth.internal.runtime.DockerText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one container, as {@code docker ps -a} and {@code docker inspect} show it: its
 * state now, what it was created with ({@link #options()}), the process that options and image
 * resolved to ({@link #env()}, {@link #workingDir()}, {@link #user()}, {@link #hostname()}), and
 * its addresses while it runs ({@link #networks()}).
 *
 * <pre>{@code
 * ContainerInfo info = container.inspect();
 * long memory = info.options().limits().memoryBytes();
 * String ip = info.networks().get(0).ipAddress();
 * }</pre>
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
 * @param options the options it was created with, as given (an unnamed container's
 *     {@code name()} is null; an anonymous volume has no name; ports as requested, host port 0
 *     for any); for a container made by an older Berth, only what it recorded then
 * @param env the process's environment as {@code K=V}: the image's, then the options'
 * @param workingDir the process's working directory
 * @param user the process's user as given ({@code ""} for the image's default, root)
 * @param hostname the container's hostname
 * @param networks where it can be reached, one entry per network it is on (the one it started
 *     on first, then those connected later, see {@link Container#connect}), while it runs (empty
 *     otherwise, and for the {@code host}, {@code none} and {@code container:} modes)
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
    HostInfo.RootfsMode rootfs,
    RunOptions options,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    List<Endpoint> networks) {

  /**
   * The container on one network, as {@code docker inspect} shows it under
   * {@code NetworkSettings.Networks}.
   *
   * @param network the network's name: {@code private} for the default network (outbound
   *     through slirp4netns, NATed in user space, so its address is the same in every
   *     container and only reachable from inside), else the user-defined network's
   * @param ipAddress the container's IPv4 address there
   * @param prefixLength the length of the network's prefix ({@code 24} for a /24)
   * @param gateway the network's gateway, the container's default route
   * @param macAddress the MAC address of the container's interface, {@code ""} when unreadable
   * @param aliases the names other containers on that network reach it by (its hostname
   *     first); empty on the private network
   */
  public record Endpoint(String network, String ipAddress, int prefixLength, String gateway,
      String macAddress, List<String> aliases) {
    /**
     * Copies the aliases; network and address are required.
     *
     * @param network the network's name: {@code private} for the default network (outbound
     *     through slirp4netns, NATed in user space, so its address is the same in every
     *     container and only reachable from inside), else the user-defined network's
     * @param ipAddress the container's IPv4 address there
     * @param prefixLength the length of the network's prefix ({@code 24} for a /24)
     * @param gateway the network's gateway, the container's default route
     * @param macAddress the MAC address of the container's interface, {@code ""} when unreadable
     * @param aliases the names other containers on that network reach it by (its hostname
     *     first); empty on the private network
     */
    public Endpoint {
      java.util.Objects.requireNonNull(network, "network");
      java.util.Objects.requireNonNull(ipAddress, "ipAddress");
      aliases = List.copyOf(aliases);
    }

    @Override
    public String toString() {
      return network + " " + ipAddress + "/" + prefixLength + " via " + gateway
          + (aliases.isEmpty() ? "" : " " + aliases);
    }
  }

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

  /**
   * Copies the lists and the map; the user namespace mode is required.
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
   * @param options the options it was created with, as given (an unnamed container's
   *     {@code name()} is null; an anonymous volume has no name; ports as requested, host port 0
   *     for any); for a container made by an older Berth, only what it recorded then
   * @param env the process's environment as {@code K=V}: the image's, then the options'
   * @param workingDir the process's working directory
   * @param user the process's user as given ({@code ""} for the image's default, root)
   * @param hostname the container's hostname
   * @param networks where it can be reached, one entry per network, while it runs (empty
   *     otherwise, and for the {@code host}, {@code none} and {@code container:} modes)
   */
  public ContainerInfo {
    command = List.copyOf(command);
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
    java.util.Objects.requireNonNull(userNamespace, "userNamespace");
    java.util.Objects.requireNonNull(rootfs, "rootfs");
    java.util.Objects.requireNonNull(options, "options");
    env = List.copyOf(env);
    networks = List.copyOf(networks);
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

  /**
   * @param now the time to word the status at
   * @return the STATUS column as Docker would word it at {@code now}
   */
  public String status(Instant now) {
    return switch (state) {
      case CREATED -> "Created";
      case RUNNING -> DockerText.up(Duration.between(startedAt, now), false);
      case PAUSED -> DockerText.up(Duration.between(startedAt, now), true);
      case EXITED -> DockerText.exited(exitCode,
          Duration.between(finishedAt != null ? finishedAt : created, now));
    };
  }

  /**
   * @return one line: short id, image, command, status, name, then the addresses while it runs
   *     and the options it was created with ({@code RunOptions{…}}); {@link #env()} is left out,
   *     as it may hold secrets
   */
  @Override
  public String toString() {
    return shortId() + " " + image + " \"" + String.join(" ", command) + "\" " + status() + " "
        + name + (networks.isEmpty() ? "" : " " + networks) + " " + options;
  }
}
