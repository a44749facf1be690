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
 * <p>Only Berth makes these (a value class, not a record, so that a field added later is
 * not a breaking change).
 */
public final class ContainerInfo {
  private final String id;
  private final String name;
  private final String image;
  private final String imageId;
  private final List<String> command;
  private final Instant created;
  private final State state;
  private final int exitCode;
  private final Instant startedAt;
  private final Instant finishedAt;
  private final long pid;
  private final boolean oomKilled;
  private final List<PortMapping> ports;
  private final Map<String, String> labels;
  private final HostInfo.UserNamespace userNamespace;
  private final HostInfo.RootfsMode rootfs;
  private final RunOptions options;
  private final List<String> env;
  private final String workingDir;
  private final String user;
  private final String hostname;
  private final List<Endpoint> networks;


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

  /** Only through {@code internal.engine.PublicValues}: no public constructor to break. */
  ContainerInfo(String id, String name, String image, String imageId, List<String> command,
      Instant created, State state, int exitCode, Instant startedAt, Instant finishedAt, long pid,
      boolean oomKilled, List<PortMapping> ports, Map<String, String> labels,
      HostInfo.UserNamespace userNamespace, HostInfo.RootfsMode rootfs, RunOptions options,
      List<String> env, String workingDir, String user, String hostname, List<Endpoint> networks) {
    command = List.copyOf(command);
    ports = List.copyOf(ports);
    labels = Map.copyOf(labels);
    java.util.Objects.requireNonNull(userNamespace, "userNamespace");
    java.util.Objects.requireNonNull(rootfs, "rootfs");
    java.util.Objects.requireNonNull(options, "options");
    env = List.copyOf(env);
    networks = List.copyOf(networks);
    this.id = id;
    this.name = name;
    this.image = image;
    this.imageId = imageId;
    this.command = command;
    this.created = created;
    this.state = state;
    this.exitCode = exitCode;
    this.startedAt = startedAt;
    this.finishedAt = finishedAt;
    this.pid = pid;
    this.oomKilled = oomKilled;
    this.ports = ports;
    this.labels = labels;
    this.userNamespace = userNamespace;
    this.rootfs = rootfs;
    this.options = options;
    this.env = env;
    this.workingDir = workingDir;
    this.user = user;
    this.hostname = hostname;
    this.networks = networks;
  }

  /** @return the 64-hex container id */
  public String id() {
    return id;
  }

  /** @return the container's name */
  public String name() {
    return name;
  }

  /** @return the image as it was asked for ({@code node}, {@code localhost:5000/app:1}) */
  public String image() {
    return image;
  }

  /** @return the image id (config digest) */
  public String imageId() {
    return imageId;
  }

  /** @return the process's argv (entrypoint + cmd) */
  public List<String> command() {
    return command;
  }

  /** @return when the container was created */
  public Instant created() {
    return created;
  }

  /** @return the lifecycle state */
  public State state() {
    return state;
  }

  /** @return the exit code once exited, else 0 */
  public int exitCode() {
    return exitCode;
  }

  /** @return when its process started, or null */
  public Instant startedAt() {
    return startedAt;
  }

  /** @return when its process exited, or null */
  public Instant finishedAt() {
    return finishedAt;
  }

  /** @return the host pid of its init while running, else 0 */
  public long pid() {
    return pid;
  }

  /** @return true when the kernel killed it for exceeding its memory limit */
  public boolean oomKilled() {
    return oomKilled;
  }

  /** @return published ports */
  public List<PortMapping> ports() {
    return ports;
  }

  /** The host port publishing {@code containerPort}/{@code protocol}, for {@link Container}. */
  int hostPort(int containerPort, String protocol) {
    return ports().stream()
        .filter(p -> p.containerPort() == containerPort && p.protocol().equals(protocol))
        .mapToInt(PortMapping::hostPort).findFirst()
        .orElseThrow(() -> new BerthException("port " + containerPort + "/" + protocol
            + " of container " + name() + " is not published (or it is not running): publish it"
            + " with RunOptions.builder().publish(" + containerPort + ")"));
  }

  /** @return the container's labels */
  public Map<String, String> labels() {
    return labels;
  }

  /** @return how the container's ids map to the host's (rootless: single or full range) */
  public HostInfo.UserNamespace userNamespace() {
    return userNamespace;
  }

  /** @return how its root file system was made (overlay, overlay with userxattr, …) */
  public HostInfo.RootfsMode rootfs() {
    return rootfs;
  }

  /**
   * @return the options it was created with, as given (an unnamed container's
   *     {@code name()} is null; an anonymous volume has no name; ports as requested, host port 0
   *     for any); for a container made by an older Berth, only what it recorded then
   */
  public RunOptions options() {
    return options;
  }

  /** @return the process's environment as {@code K=V}: the image's, then the options' */
  public List<String> env() {
    return env;
  }

  /** @return the process's working directory */
  public String workingDir() {
    return workingDir;
  }

  /** @return the process's user as given ({@code ""} for the image's default, root) */
  public String user() {
    return user;
  }

  /** @return the container's hostname */
  public String hostname() {
    return hostname;
  }

  /**
   * @return where it can be reached, one entry per network it is on (the one it started
   *     on first, then those connected later, see {@link Container#connect}), while it runs (empty
   *     otherwise, and for the {@code host}, {@code none} and {@code container:} modes)
   */
  public List<Endpoint> networks() {
    return networks;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ContainerInfo other)) {
      return false;
    }
    return java.util.Objects.equals(id, other.id)
        && java.util.Objects.equals(name, other.name)
        && java.util.Objects.equals(image, other.image)
        && java.util.Objects.equals(imageId, other.imageId)
        && java.util.Objects.equals(command, other.command)
        && java.util.Objects.equals(created, other.created)
        && java.util.Objects.equals(state, other.state)
        && exitCode == other.exitCode
        && java.util.Objects.equals(startedAt, other.startedAt)
        && java.util.Objects.equals(finishedAt, other.finishedAt)
        && pid == other.pid
        && oomKilled == other.oomKilled
        && java.util.Objects.equals(ports, other.ports)
        && java.util.Objects.equals(labels, other.labels)
        && java.util.Objects.equals(userNamespace, other.userNamespace)
        && java.util.Objects.equals(rootfs, other.rootfs)
        && java.util.Objects.equals(options, other.options)
        && java.util.Objects.equals(env, other.env)
        && java.util.Objects.equals(workingDir, other.workingDir)
        && java.util.Objects.equals(user, other.user)
        && java.util.Objects.equals(hostname, other.hostname)
        && java.util.Objects.equals(networks, other.networks);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, name, image, imageId, command, created, state, exitCode, startedAt, finishedAt, pid, oomKilled, ports, labels, userNamespace, rootfs, options, env, workingDir, user, hostname, networks);
  }

}
