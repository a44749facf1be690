package dev.berth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a container: the immutable definition that {@code image.run(options)} turns into a
 * running {@link Container}. Unset options take the image's values, by Docker's rules.
 *
 * <pre>{@code
 * RunOptions opts = RunOptions.builder()
 *     .command("node", "--version")
 *     .env("NODE_ENV", "test")
 *     .name("web")
 *     .autoRemove(true)
 *     .build();
 * RunOptions variant = opts.toBuilder().name("web-2").build();
 * }</pre>
 */
public final class RunOptions {
  private final List<String> command;
  private final List<String> entrypoint;
  private final Map<String, String> env;
  private final List<String> envOrder;
  private final String workingDir;
  private final String user;
  private final String name;
  private final String hostname;
  private final Map<String, String> labels;
  private final boolean detach;
  private final boolean autoRemove;
  private final boolean tty;
  private final boolean stdinOpen;
  private final boolean removeWithJvm;
  private final List<PortMapping> ports;
  private final boolean publishAll;
  private final NetworkMode network;
  private final List<String> networkAliases;
  private final List<Mount> mounts;
  private final Limits limits;
  private final List<String> capAdd;
  private final List<String> capDrop;
  private final boolean privileged;
  private final boolean readOnlyRootfs;
  private final boolean limitsBestEffort;
  private final String seccomp;
  private final boolean noNewPrivileges;

  /**
   * Resource limits ({@code --memory}, {@code --memory-swap}, {@code --cpus},
   * {@code --cpu-shares}, {@code --pids-limit}); 0 means not limited.
   *
   * @param memoryBytes memory limit
   * @param memorySwapBytes memory plus swap limit; -1 unlimited swap; 0 Docker's default
   * @param cpus CPUs, e.g. 1.5
   * @param cpuShares relative CPU weight (Docker's shares, default 1024)
   * @param pidsLimit maximum number of processes
   */
  public record Limits(long memoryBytes, long memorySwapBytes, double cpus, long cpuShares,
      long pidsLimit) {
    /** No limits. */
    public static final Limits NONE = new Limits(0, 0, 0, 0, 0);

    /** @return true when nothing is limited */
    public boolean isNone() {
      return equals(NONE);
    }
  }

  private RunOptions(Builder b) {
    this.command = b.command == null ? null : List.copyOf(b.command);
    this.entrypoint = b.entrypoint == null ? null : List.copyOf(b.entrypoint);
    this.env = Map.copyOf(b.env);
    this.envOrder = List.copyOf(b.env.keySet());
    this.workingDir = b.workingDir;
    this.user = b.user;
    this.name = b.name;
    this.hostname = b.hostname;
    this.labels = Map.copyOf(b.labels);
    this.detach = b.detach;
    this.autoRemove = b.autoRemove;
    this.tty = b.tty;
    this.stdinOpen = b.stdinOpen;
    this.removeWithJvm = b.removeWithJvm;
    this.ports = List.copyOf(b.ports);
    this.publishAll = b.publishAll;
    this.network = b.network;
    this.networkAliases = List.copyOf(b.networkAliases);
    this.mounts = List.copyOf(b.mounts);
    this.limits = b.limits;
    this.capAdd = List.copyOf(b.capAdd);
    this.capDrop = List.copyOf(b.capDrop);
    this.privileged = b.privileged;
    this.readOnlyRootfs = b.readOnlyRootfs;
    this.limitsBestEffort = b.limitsBestEffort;
    this.seccomp = b.seccomp;
    this.noNewPrivileges = b.noNewPrivileges;
  }

  /** @return a builder with nothing set: every value comes from the image */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param command the program and its arguments
   * @return options that only override the command (Docker's {@code run IMAGE cmd…})
   */
  public static RunOptions command(String... command) {
    return builder().command(command).build();
  }

  /** @return a builder holding these options, to make a variant */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.command = command == null ? null : new ArrayList<>(command);
    b.entrypoint = entrypoint == null ? null : new ArrayList<>(entrypoint);
    for (String k : envOrder) {
      b.env.put(k, env.get(k));
    }
    b.workingDir = workingDir;
    b.user = user;
    b.name = name;
    b.hostname = hostname;
    b.labels.putAll(labels);
    b.detach = detach;
    b.autoRemove = autoRemove;
    b.tty = tty;
    b.stdinOpen = stdinOpen;
    b.removeWithJvm = removeWithJvm;
    b.ports.addAll(ports);
    b.publishAll = publishAll;
    b.network = network;
    b.networkAliases.addAll(networkAliases);
    b.mounts.addAll(mounts);
    b.limits = limits;
    b.capAdd.addAll(capAdd);
    b.capDrop.addAll(capDrop);
    b.privileged = privileged;
    b.readOnlyRootfs = readOnlyRootfs;
    b.limitsBestEffort = limitsBestEffort;
    b.seccomp = seccomp;
    b.noNewPrivileges = noNewPrivileges;
    return b;
  }

  /** @return the command (Docker's CMD override), or null to use the image's */
  public List<String> command() {
    return command;
  }

  /** @return the entrypoint override, or null to use the image's; empty clears it */
  public List<String> entrypoint() {
    return entrypoint;
  }

  /** @return environment variables added to (and overriding) the image's, in insertion order */
  public Map<String, String> env() {
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String k : envOrder) {
      ordered.put(k, env.get(k));
    }
    return java.util.Collections.unmodifiableMap(ordered);
  }

  /** @return the working directory, or null for the image's (or {@code /}) */
  public String workingDir() {
    return workingDir;
  }

  /** @return the user ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}), or null */
  public String user() {
    return user;
  }

  /** @return the container name, or null for a generated one */
  public String name() {
    return name;
  }

  /** @return the hostname, or null for the short container id (as Docker) */
  public String hostname() {
    return hostname;
  }

  /** @return labels on the container */
  public Map<String, String> labels() {
    return labels;
  }

  /** @return true when output goes only to the log, not to this JVM's streams ({@code -d}) */
  public boolean detach() {
    return detach;
  }

  /** @return true when the container is removed as soon as it exits ({@code --rm}) */
  public boolean autoRemove() {
    return autoRemove;
  }

  /** @return true when the process gets a pseudo-terminal ({@code -t}) */
  public boolean tty() {
    return tty;
  }

  /** @return true when the process's stdin stays open for this JVM to write ({@code -i}) */
  public boolean stdinOpen() {
    return stdinOpen;
  }

  /**
   * @return true when the container is killed and removed as soon as this JVM exits, however it
   *     exits (even killed with SIGKILL)
   */
  public boolean removeWithJvm() {
    return removeWithJvm;
  }

  /** @return published ports (host port 0: a free port is picked at start) */
  public List<PortMapping> ports() {
    return ports;
  }

  /** @return true to publish every port the image exposes on free host ports ({@code -P}) */
  public boolean publishAll() {
    return publishAll;
  }

  /**
   * @return the network: {@code private} (the default: loopback, published ports and outbound
   *     traffic), {@code none}, {@code host}, {@code container:<name-or-id>}, or the name of a
   *     user-defined network
   */
  public NetworkMode network() {
    return network;
  }

  /** @return extra names other containers on a user-defined network reach this one by */
  public List<String> networkAliases() {
    return networkAliases;
  }

  /** @return the resource limits */
  public Limits limits() {
    return limits;
  }

  /**
   * @return true when limits this host cannot apply (rootless without a delegated cgroup, a
   *     controller that is missing) are skipped instead of failing the run
   */
  public boolean limitsBestEffort() {
    return limitsBestEffort;
  }

  /** @return capabilities added to Docker's default set ({@code --cap-add}) */
  public List<String> capAdd() {
    return capAdd;
  }

  /** @return capabilities dropped from Docker's default set ({@code --cap-drop}) */
  public List<String> capDrop() {
    return capDrop;
  }

  /**
   * @return true for {@code --privileged}: every capability, no seccomp, no masked paths, and
   *     the host's devices in /dev
   */
  public boolean privileged() {
    return privileged;
  }

  /** @return true when the root file system is read-only ({@code --read-only}) */
  public boolean readOnlyRootfs() {
    return readOnlyRootfs;
  }

  /**
   * @return the seccomp profile: {@code default} (Berth's, with the intent of Docker's),
   *     {@code unconfined}, or the path of a Docker-format JSON profile
   */
  public String seccomp() {
    return seccomp;
  }

  /** @return false to let setuid programs gain privileges ({@code no-new-privileges=false}) */
  public boolean noNewPrivileges() {
    return noNewPrivileges;
  }

  /** @return bind mounts, volumes and tmpfs mounts, in the order they were added */
  public List<Mount> mounts() {
    return mounts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunOptions r && Objects.equals(command, r.command)
        && Objects.equals(entrypoint, r.entrypoint) && env().equals(r.env())
        && Objects.equals(workingDir, r.workingDir) && Objects.equals(user, r.user)
        && Objects.equals(name, r.name) && Objects.equals(hostname, r.hostname)
        && labels.equals(r.labels) && detach == r.detach && autoRemove == r.autoRemove
        && tty == r.tty && stdinOpen == r.stdinOpen && ports.equals(r.ports)
        && publishAll == r.publishAll && Objects.equals(network, r.network)
        && networkAliases.equals(r.networkAliases) && limits.equals(r.limits)
        && capAdd.equals(r.capAdd) && capDrop.equals(r.capDrop) && privileged == r.privileged
        && readOnlyRootfs == r.readOnlyRootfs && limitsBestEffort == r.limitsBestEffort && seccomp.equals(r.seccomp)
        && noNewPrivileges == r.noNewPrivileges
        && mounts.equals(r.mounts) && removeWithJvm == r.removeWithJvm;
  }

  @Override
  public int hashCode() {
    return Objects.hash(command, entrypoint, env, workingDir, user, name, hostname, labels,
        detach, autoRemove, tty, stdinOpen, ports, publishAll, network, networkAliases, limits,
        capAdd, capDrop, privileged, readOnlyRootfs, seccomp, noNewPrivileges, mounts,
        removeWithJvm, limitsBestEffort);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RunOptions{");
    if (name != null) {
      sb.append("name=").append(name).append(", ");
    }
    if (entrypoint != null) {
      sb.append("entrypoint=").append(entrypoint).append(", ");
    }
    if (command != null) {
      sb.append("command=").append(command).append(", ");
    }
    if (!env.isEmpty()) {
      sb.append("env=").append(env().keySet()).append(", ");
    }
    if (workingDir != null) {
      sb.append("workingDir=").append(workingDir).append(", ");
    }
    if (user != null) {
      sb.append("user=").append(user).append(", ");
    }
    if (!ports.isEmpty()) {
      sb.append("ports=").append(ports).append(", ");
    }
    if (!limits.isNone()) {
      sb.append("limits=").append(limits).append(limitsBestEffort ? " (best effort)" : "").append(", ");
    }
    if (privileged) {
      sb.append("privileged, ");
    }
    if (!(network instanceof NetworkMode.Private)) {
      sb.append("network=").append(network).append(", ");
    }
    if (!networkAliases.isEmpty()) {
      sb.append("aliases=").append(networkAliases).append(", ");
    }
    if (!mounts.isEmpty()) {
      sb.append("mounts=").append(mounts).append(", ");
    }
    if (hostname != null) {
      sb.append("hostname=").append(hostname).append(", ");
    }
    if (!labels.isEmpty()) {
      sb.append("labels=").append(labels).append(", ");
    }
    if (!capAdd.isEmpty()) {
      sb.append("capAdd=").append(capAdd).append(", ");
    }
    if (!capDrop.isEmpty()) {
      sb.append("capDrop=").append(capDrop).append(", ");
    }
    if (!"default".equals(seccomp)) {
      sb.append("seccomp=").append(seccomp).append(", ");
    }
    if (!noNewPrivileges) {
      sb.append("newPrivileges allowed, ");
    }
    sb.append(readOnlyRootfs ? "--read-only " : "").append(publishAll ? "-P " : "");
    sb.append(detach ? "-d " : "").append(autoRemove ? "--rm " : "")
        .append(stdinOpen ? "-i " : "").append(tty ? "-t " : "")
        .append(removeWithJvm ? "removeWithJvm" : "");
    return sb.toString().replaceAll("[, ]+$", "") + "}";
  }

  /** Builds {@link RunOptions}. Not thread-safe; each setter replaces the earlier value. */
  public static final class Builder {
    private List<String> command;
    private List<String> entrypoint;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workingDir;
    private String user;
    private String name;
    private String hostname;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private boolean detach;
    private boolean autoRemove;
    private boolean tty;
    private boolean stdinOpen;
    private boolean removeWithJvm;
    private final List<PortMapping> ports = new ArrayList<>();
    private boolean publishAll;
    private NetworkMode network = NetworkMode.PRIVATE;
    private final List<String> networkAliases = new ArrayList<>();
    private final List<Mount> mounts = new ArrayList<>();
    private Limits limits = Limits.NONE;
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private boolean privileged;
    private boolean readOnlyRootfs;
    private boolean limitsBestEffort;
    private String seccomp = "default";
    private boolean noNewPrivileges = true;

    private Builder() {}

    /**
     * Replaces the image's CMD.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public Builder command(String... command) {
      this.command = Arrays.asList(command.clone());
      return this;
    }

    /**
     * Replaces the image's CMD.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public Builder command(List<String> command) {
      this.command = new ArrayList<>(command);
      return this;
    }

    /**
     * Replaces the image's ENTRYPOINT; as in Docker, this also drops the image's CMD unless a
     * command is set too. No arguments clears the entrypoint.
     *
     * @param entrypoint the program and its first arguments
     * @return this builder
     */
    public Builder entrypoint(String... entrypoint) {
      this.entrypoint = Arrays.asList(entrypoint.clone());
      return this;
    }

    /**
     * Sets one environment variable, overriding the image's value of it.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      if (name == null || name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("invalid environment variable name '" + name
            + "': it must be non-empty and contain no '='");
      }
      env.put(name, Objects.requireNonNull(value, "value of " + name));
      return this;
    }

    /**
     * Sets several environment variables.
     *
     * @param vars names and values
     * @return this builder
     */
    public Builder env(Map<String, String> vars) {
      vars.forEach(this::env);
      return this;
    }

    /**
     * Sets the working directory (created when missing, as Docker does).
     *
     * @param dir an absolute path inside the container
     * @return this builder
     */
    public Builder workingDir(String dir) {
      if (dir != null && !dir.startsWith("/")) {
        throw new IllegalArgumentException(
            "working directory '" + dir + "' must be an absolute path");
      }
      this.workingDir = dir;
      return this;
    }

    /**
     * Sets the user: {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}.
     *
     * @param user the user, as {@code docker run -u} takes it
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Names the container; the name must be unique among this engine's containers.
     *
     * @param name the container's name
     * @return this builder
     */
    public Builder name(String name) {
      if (name != null && !name.matches("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
        throw new IllegalArgumentException("invalid container name '" + name
            + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters");
      }
      this.name = name == null ? null : name.replaceFirst("^/", "");
      return this;
    }

    /**
     * Sets the hostname (default: the short container id).
     *
     * @param hostname the hostname
     * @return this builder
     */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /**
     * Adds a label.
     *
     * @param key the label's name
     * @param value its value
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Output goes only to the container log ({@code docker run -d}).
     *
     * @param detach true to run detached
     * @return this builder
     */
    public Builder detach(boolean detach) {
      this.detach = detach;
      return this;
    }

    /**
     * Removes the container when it exits ({@code docker run --rm}).
     *
     * @param autoRemove true to remove it on exit
     * @return this builder
     */
    public Builder autoRemove(boolean autoRemove) {
      this.autoRemove = autoRemove;
      return this;
    }

    /**
     * Gives the process a pseudo-terminal ({@code -t}).
     *
     * @param tty true for a terminal
     * @return this builder
     */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /**
     * Keeps stdin open for this JVM to write to ({@code -i}).
     *
     * @param stdinOpen true to keep stdin open
     * @return this builder
     */
    public Builder stdinOpen(boolean stdinOpen) {
      this.stdinOpen = stdinOpen;
      return this;
    }

    /**
     * Publishes a TCP port on a free port of 127.0.0.1 ({@code -p 127.0.0.1::5432}); ask the
     * container which with {@link Container#hostPort(int)}.
     *
     * @param containerPort the TCP port inside the container
     * @return this builder
     */
    public Builder publish(int containerPort) {
      return publish(new PortMapping("127.0.0.1", 0, containerPort, "tcp"));
    }

    /**
     * Publishes a TCP port on a fixed port of 127.0.0.1 ({@code -p 127.0.0.1:8080:80}).
     *
     * @param hostPort the port on 127.0.0.1
     * @param containerPort the TCP port inside the container
     * @return this builder
     */
    public Builder publish(int hostPort, int containerPort) {
      return publish(new PortMapping("127.0.0.1", hostPort, containerPort, "tcp"));
    }

    /**
     * Publishes a port with every detail chosen: host address ({@code 0.0.0.0} for all), host
     * port (0 for a free one), container port, tcp or udp.
     *
     * @param mapping the host address and port, container port and protocol
     * @return this builder
     */
    public Builder publish(PortMapping mapping) {
      ports.add(Objects.requireNonNull(mapping));
      return this;
    }

    /**
     * Publishes every port the image exposes on free host ports ({@code -P}).
     *
     * @param all true to publish every exposed port
     * @return this builder
     */
    public Builder publishAll(boolean all) {
      this.publishAll = all;
      return this;
    }

    /**
     * The network: {@code private} (default), {@code none}, {@code host},
     * {@code container:<name-or-id>}, or a user-defined network's name.
     *
     * @param network the network, in Docker's words
     * @return this builder
     */
    public Builder network(String network) {
      return network(NetworkMode.parse(network));
    }

    /**
     * The network, typed: {@link NetworkMode#NONE}, {@code new NetworkMode.UserDefined("web")}, …
     *
     * @param network the network
     * @return this builder
     */
    public Builder network(NetworkMode network) {
      this.network = Objects.requireNonNull(network, "network");
      return this;
    }

    /**
     * Adds a name other containers on its user-defined network can reach it by.
     *
     * @param alias the name, unique on the network
     * @return this builder
     */
    public Builder networkAlias(String alias) {
      networkAliases.add(Objects.requireNonNull(alias));
      return this;
    }

    /**
     * Limits memory ({@code --memory}); the kernel kills the container when it goes over, and
     * {@link ContainerInfo#oomKilled()} says so.
     *
     * @param bytes the limit, in bytes
     * @return this builder
     * @throws IllegalArgumentException below Docker's minimum of 6 MB
     */
    public Builder memory(long bytes) {
      if (bytes != 0 && bytes < 6L << 20) {
        throw new IllegalArgumentException("Minimum memory limit allowed is 6MB, not " + bytes
            + " bytes");
      }
      limits = new Limits(bytes, limits.memorySwapBytes(), limits.cpus(), limits.cpuShares(),
          limits.pidsLimit());
      return this;
    }

    /**
     * Limits memory plus swap ({@code --memory-swap}); -1 for unlimited swap.
     *
     * @param bytes the limit of memory plus swap, in bytes, or -1
     * @return this builder
     */
    public Builder memorySwap(long bytes) {
      limits = new Limits(limits.memoryBytes(), bytes, limits.cpus(), limits.cpuShares(),
          limits.pidsLimit());
      return this;
    }

    /**
     * Limits CPU time to this many CPUs ({@code --cpus=1.5}).
     *
     * @param cpus the number of CPUs, fractions allowed
     * @return this builder
     */
    public Builder cpus(double cpus) {
      if (cpus < 0) {
        throw new IllegalArgumentException("cpus must be positive, not " + cpus);
      }
      limits = new Limits(limits.memoryBytes(), limits.memorySwapBytes(), cpus,
          limits.cpuShares(), limits.pidsLimit());
      return this;
    }

    /**
     * Sets the relative CPU weight ({@code --cpu-shares}, default 1024).
     *
     * @param shares the weight
     * @return this builder
     */
    public Builder cpuShares(long shares) {
      limits = new Limits(limits.memoryBytes(), limits.memorySwapBytes(), limits.cpus(), shares,
          limits.pidsLimit());
      return this;
    }

    /**
     * Limits the number of processes ({@code --pids-limit}).
     *
     * @param max the most processes at once
     * @return this builder
     */
    public Builder pidsLimit(long max) {
      limits = new Limits(limits.memoryBytes(), limits.memorySwapBytes(), limits.cpus(),
          limits.cpuShares(), max);
      return this;
    }

    /**
     * With true, limits this host cannot apply are skipped (logged as a warning on the logger
     * {@code dev.berth}) and the container runs without them; by default such a run fails with
     * an {@link UnsupportedEnvironmentException} that says why and how to fix it (rootless: a
     * delegated cgroup).
     *
     * @param bestEffort true to skip limits the host cannot apply
     * @return this builder
     */
    public Builder limitsBestEffort(boolean bestEffort) {
      this.limitsBestEffort = bestEffort;
      return this;
    }

    /**
     * Adds a capability ({@code NET_ADMIN}, {@code CAP_SYS_PTRACE}, {@code net_admin}, or
     * {@code ALL}).
     *
     * @param capability the capability's name
     * @return this builder
     * @throws IllegalArgumentException naming it when Linux has no capability of that name
     */
    public Builder capAdd(String capability) {
      capAdd.add(checkCapability(capability));
      return this;
    }

    /**
     * Drops a capability from the default set ({@code NET_RAW}, or {@code ALL}).
     *
     * @param capability the capability's name
     * @return this builder
     * @throws IllegalArgumentException naming it when Linux has no capability of that name
     */
    public Builder capDrop(String capability) {
      capDrop.add(checkCapability(capability));
      return this;
    }

    /** A bad name fails here, where it was written, not when a container starts. */
    private static String checkCapability(String capability) {
      Objects.requireNonNull(capability, "capability");
      if (!capability.strip().equalsIgnoreCase("ALL")) {
        dev.berth.internal.security.Capability.parse(capability);
      }
      return capability;
    }

    /**
     * Every capability, no seccomp filter, no masked or read-only paths, a writable /sys, and
     * the host's character and block devices in /dev (made as root, bound from the host
     * rootless, as podman does); /dev/pts, /dev/shm and /dev/mqueue stay the container's own
     * ({@code --privileged}).
     *
     * @param privileged true for a privileged container
     * @return this builder
     */
    public Builder privileged(boolean privileged) {
      this.privileged = privileged;
      return this;
    }

    /**
     * Mounts the root file system read-only ({@code --read-only}).
     *
     * @param readOnly true for a read-only root file system
     * @return this builder
     */
    public Builder readOnlyRootfs(boolean readOnly) {
      this.readOnlyRootfs = readOnly;
      return this;
    }

    /**
     * The seccomp profile: {@code default}, {@code unconfined}, or a Docker-format JSON file's
     * path ({@code --security-opt seccomp=…}).
     *
     * @param profile the profile's name or file path
     * @return this builder
     */
    public Builder seccomp(String profile) {
      this.seccomp = Objects.requireNonNull(profile);
      return this;
    }

    /**
     * false lets setuid programs gain privileges ({@code no-new-privileges}; default true).
     *
     * @param on false to let setuid programs gain privileges
     * @return this builder
     */
    public Builder noNewPrivileges(boolean on) {
      this.noNewPrivileges = on;
      return this;
    }

    /**
     * Bind-mounts a host file or directory, as {@code -v /host:/ctr[:ro]} with Docker's
     * {@code --mount} rule that the host path must exist. Mounts do not propagate between host
     * and container (Docker's default, rprivate).
     *
     * @param hostPath an existing host file or directory
     * @param containerPath the absolute path inside the container
     * @param readOnly true to mount it read-only
     * @return this builder
     * @throws IllegalArgumentException naming the host path when it does not exist or is not
     *     absolute, or when the container path is not absolute
     */
    public Builder bind(java.nio.file.Path hostPath, String containerPath, boolean readOnly) {
      java.nio.file.Path abs = hostPath.toAbsolutePath().normalize();
      if (!java.nio.file.Files.exists(abs)) {
        throw new IllegalArgumentException("bind source path does not exist: " + abs
            + "; create it on the host first");
      }
      return mount(new Mount(Mount.Type.BIND, abs.toString(), containerPath, readOnly, 0, 0));
    }

    /**
     * Mounts a named volume, as {@code -v name:/ctr}: created on first use, and filled from the
     * image's files at that path (owners, modes and times kept) while it is empty (rootless with
     * a single id every owner is the user, as in the container's root).
     *
     * @param name the volume's name
     * @param containerPath the absolute path inside the container
     * @return this builder
     */
    public Builder volume(String name, String containerPath) {
      Mount.checkVolumeName(name);
      return mount(new Mount(Mount.Type.VOLUME, name, containerPath, false, 0, 0));
    }

    /**
     * Mounts a new anonymous volume, as {@code -v /ctr}: its name is 64 random hex characters,
     * and it is removed with the container when the container was started with
     * {@link #autoRemove(boolean)}.
     *
     * @param containerPath the absolute path inside the container
     * @return this builder
     */
    public Builder volume(String containerPath) {
      return mount(new Mount(Mount.Type.VOLUME, null, containerPath, false, 0, 0));
    }

    /**
     * Mounts a tmpfs, as {@code --mount type=tmpfs,tmpfs-size=…,tmpfs-mode=…}.
     *
     * @param containerPath the absolute path inside the container
     * @param sizeBytes its size limit, 0 for the kernel's default (half of RAM)
     * @param mode permissions of its root directory, e.g. {@code 01777}
     * @return this builder
     */
    public Builder tmpfs(String containerPath, long sizeBytes, int mode) {
      return mount(new Mount(Mount.Type.TMPFS, null, containerPath, false, sizeBytes, mode));
    }

    /**
     * Adds a mount made elsewhere; a later mount on the same container path replaces it.
     *
     * @param mount the mount
     * @return this builder
     */
    public Builder mount(Mount mount) {
      Objects.requireNonNull(mount, "mount");
      mounts.removeIf(m -> m.target().equals(mount.target()));
      mounts.add(mount);
      return this;
    }

    /**
     * Ties the container to this JVM: its monitor watches the JVM and, when the JVM is gone
     * (whether it exited, crashed or was killed with SIGKILL), kills and removes the container.
     * Test fixtures use it so that an aborted test run leaves nothing behind.
     *
     * @param removeWithJvm true to tie the container to this JVM
     * @return this builder
     */
    public Builder removeWithJvm(boolean removeWithJvm) {
      this.removeWithJvm = removeWithJvm;
      return this;
    }

    /** @return the immutable options */
    public RunOptions build() {
      return new RunOptions(this);
    }
  }
}
