package dev.berth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to run a container: the immutable definition that {@code image.run(options)} turns into a
 * running {@link Container}. Unset options take the image's values, by Docker's rules. Built
 * with flat setters; read by concern: {@link #process()}, {@link #network()}, {@link #limits()},
 * {@link #security()}, {@link #mounts()}.
 *
 * <pre>{@code
 * RunOptions opts = RunOptions.builder()
 *     .command("node", "--version")
 *     .env("NODE_ENV", "test")
 *     .name("web")
 *     .memory(256L << 20)
 *     .capAdd(Capability.NET_ADMIN)
 *     .autoRemove(true)
 *     .build();
 * RunOptions variant = opts.toBuilder().name("web-2").build();
 * }</pre>
 */
public final class RunOptions {
  private final Process process;
  private final Network network;
  private final Limits limits;
  private final boolean limitsBestEffort;
  private final Security security;
  private final List<Mount> mounts;
  private final String name;
  private final Map<String, String> labels;
  private final boolean detach;
  private final boolean autoRemove;
  private final boolean removeWithJvm;

  /**
   * The process: what runs, with which environment, as whom, with which streams.
   *
   * @param command the command (Docker's CMD override), or null to use the image's
   * @param entrypoint the entrypoint override, or null to use the image's; empty clears it
   * @param env environment variables added to (and overriding) the image's, in insertion order
   * @param workingDir the working directory, or null for the image's (or {@code /})
   * @param user the user ({@code name}, {@code uid}, {@code uid:gid}, {@code name:group}), or null
   * @param tty true when the process gets a pseudo-terminal ({@code -t})
   * @param stdinOpen true when its stdin stays open for this JVM to write ({@code -i})
   */
  public record Process(List<String> command, List<String> entrypoint, Map<String, String> env,
      String workingDir, String user, boolean tty, boolean stdinOpen) {
    /** The image's process, unchanged. */
    public static final Process IMAGE = new Process(null, null, Map.of(), null, null, false, false);

    /**
     * Copies the lists and the map (keeping the environment's order).
     *
     * @param command the command, or null for the image's
     * @param entrypoint the entrypoint, or null for the image's
     * @param env environment variables, in order
     * @param workingDir the working directory, or null
     * @param user the user, or null
     * @param tty true for a terminal
     * @param stdinOpen true to keep stdin open
     */
    public Process {
      command = command == null ? null : List.copyOf(command);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }
  }

  /**
   * How the container is reached: its network, names and published ports.
   *
   * @param mode the network: {@link NetworkMode#PRIVATE} (the default: loopback, published
   *     ports and outbound traffic), none, host, another container's, or a user-defined network
   * @param aliases extra names other containers on a user-defined network reach it by
   * @param ports published ports (host port 0: a free port is picked at start)
   * @param publishAll true to publish every port the image exposes on free host ports ({@code -P})
   * @param hostname the hostname, or null for the short container id (as Docker)
   */
  public record Network(NetworkMode mode, List<String> aliases, List<PortMapping> ports,
      boolean publishAll, String hostname) {
    /** The default: the private network, nothing published. */
    public static final Network PRIVATE =
        new Network(NetworkMode.PRIVATE, List.of(), List.of(), false, null);

    /**
     * Copies the lists; the mode is required.
     *
     * @param mode the network
     * @param aliases extra names on a user-defined network
     * @param ports published ports
     * @param publishAll true to publish every exposed port
     * @param hostname the hostname, or null
     */
    public Network {
      Objects.requireNonNull(mode, "network");
      aliases = List.copyOf(aliases);
      ports = List.copyOf(ports);
    }
  }

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

    /**
     * Checks Docker's bounds.
     *
     * @param memoryBytes memory limit
     * @param memorySwapBytes memory plus swap limit; -1 unlimited swap; 0 Docker's default
     * @param cpus CPUs, e.g. 1.5
     * @param cpuShares relative CPU weight (Docker's shares, default 1024)
     * @param pidsLimit maximum number of processes
     * @throws IllegalArgumentException for memory below Docker's minimum of 6 MB, or negative cpus
     */
    public Limits {
      if (memoryBytes != 0 && memoryBytes < 6L << 20) {
        throw new IllegalArgumentException("Minimum memory limit allowed is 6MB, not "
            + memoryBytes + " bytes");
      }
      if (cpus < 0) {
        throw new IllegalArgumentException("cpus must be positive, not " + cpus);
      }
    }

    /** @return true when nothing is limited */
    public boolean isNone() {
      // field by field, as equals(NONE) decides: the record's equals is made at its first use,
      // ~13 ms of a fresh JVM's first container
      return memoryBytes == 0 && memorySwapBytes == 0 && Double.compare(cpus, 0) == 0
          && cpuShares == 0 && pidsLimit == 0;
    }
  }

  /**
   * How the container is confined beyond its namespaces.
   *
   * @param capAdd capabilities added to Docker's default set ({@code --cap-add})
   * @param capAddAll true for {@code --cap-add ALL}: every capability
   * @param capDrop capabilities dropped from Docker's default set ({@code --cap-drop}); an added
   *     one wins
   * @param capDropAll true for {@code --cap-drop ALL}: none but the added ones
   * @param privileged true for {@code --privileged}: every capability, no seccomp, no masked
   *     paths, and the host's devices in /dev
   * @param readOnlyRootfs true when the root file system is read-only ({@code --read-only})
   * @param seccomp the seccomp profile
   * @param noNewPrivileges false to let setuid programs gain privileges
   */
  public record Security(Set<Capability> capAdd, boolean capAddAll, Set<Capability> capDrop,
      boolean capDropAll, boolean privileged, boolean readOnlyRootfs, SeccompProfile seccomp,
      boolean noNewPrivileges) {
    /** Docker's defaults: its capabilities, the default seccomp profile, no new privileges. */
    public static final Security DEFAULT = new Security(Set.of(), false, Set.of(), false, false,
        false, SeccompProfile.DEFAULT, true);

    /**
     * Copies the sets (in the kernel's order); the seccomp profile is required.
     *
     * @param capAdd capabilities added
     * @param capAddAll true to add every capability
     * @param capDrop capabilities dropped
     * @param capDropAll true to drop every capability not added
     * @param privileged true for a privileged container
     * @param readOnlyRootfs true for a read-only root
     * @param seccomp the seccomp profile
     * @param noNewPrivileges false to let setuid programs gain privileges
     */
    public Security {
      capAdd = enumSet(capAdd);
      capDrop = enumSet(capDrop);
      Objects.requireNonNull(seccomp, "seccomp");
    }

    private static Set<Capability> enumSet(Collection<Capability> caps) {
      return caps.isEmpty() ? Set.of()
          : Collections.unmodifiableSet(EnumSet.copyOf(caps));
    }
  }

  RunOptions(Process process, Network network, Limits limits, boolean limitsBestEffort,
      Security security, List<Mount> mounts, String name, Map<String, String> labels,
      boolean detach, boolean autoRemove, boolean removeWithJvm) {
    this.process = Objects.requireNonNull(process);
    this.network = Objects.requireNonNull(network);
    this.limits = Objects.requireNonNull(limits);
    this.limitsBestEffort = limitsBestEffort;
    this.security = Objects.requireNonNull(security);
    this.mounts = List.copyOf(mounts);
    this.name = name;
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    this.detach = detach;
    this.autoRemove = autoRemove;
    this.removeWithJvm = removeWithJvm;
  }

  /** @return a builder with nothing set: every value comes from the image */
  public static RunOptionsBuilder builder() {
    return new RunOptionsBuilder();
  }

  /**
   * @param command the program and its arguments
   * @return options that only override the command (Docker's {@code run IMAGE cmd…})
   */
  public static RunOptions command(String... command) {
    return builder().command(command).build();
  }

  /** @return a builder holding these options, to make a variant */
  public RunOptionsBuilder toBuilder() {
    return new RunOptionsBuilder(this);
  }

  /** @return the process: command, entrypoint, environment, working directory, user, streams */
  public Process process() {
    return process;
  }

  /** @return the network, aliases, published ports and hostname */
  public Network network() {
    return network;
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

  /** @return capabilities, seccomp, privileged mode, a read-only root, no-new-privileges */
  public Security security() {
    return security;
  }

  /** @return bind mounts, volumes and tmpfs mounts, in the order they were added */
  public List<Mount> mounts() {
    return mounts;
  }

  /** @return the container name, or null for a generated one */
  public String name() {
    return name;
  }

  /** @return labels on the container, in the order they were added */
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

  /**
   * @return true when the container is killed and removed as soon as this JVM exits, however it
   *     exits (even killed with SIGKILL)
   */
  public boolean removeWithJvm() {
    return removeWithJvm;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunOptions r && process.equals(r.process) && network.equals(r.network)
        && limits.equals(r.limits) && limitsBestEffort == r.limitsBestEffort
        && security.equals(r.security) && mounts.equals(r.mounts) && Objects.equals(name, r.name)
        && labels.equals(r.labels) && detach == r.detach && autoRemove == r.autoRemove
        && removeWithJvm == r.removeWithJvm;
  }

  @Override
  public int hashCode() {
    return Objects.hash(process, network, limits, limitsBestEffort, security, mounts, name,
        labels, detach, autoRemove, removeWithJvm);
  }

  /**
   * @return what differs from the defaults, e.g. {@code RunOptions{name=web, command=[sh],
   *     capAdd=[NET_ADMIN], seccomp=unconfined, --read-only}}; environment values are left out,
   *     as they may hold secrets
   */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    Process p = process;
    Network n = network;
    Security s = security;
    add(parts, "name", name);
    add(parts, "entrypoint", p.entrypoint());
    add(parts, "command", p.command());
    add(parts, "env", p.env().isEmpty() ? null : p.env().keySet());
    add(parts, "workingDir", p.workingDir());
    add(parts, "user", p.user());
    add(parts, "ports", n.ports().isEmpty() ? null : n.ports());
    if (!limits.isNone()) {
      parts.add("limits=" + limits + (limitsBestEffort ? " (best effort)" : ""));
    }
    flag(parts, s.privileged(), "privileged");
    add(parts, "network", n.mode() instanceof NetworkMode.Private ? null : n.mode());
    add(parts, "aliases", n.aliases().isEmpty() ? null : n.aliases());
    add(parts, "mounts", mounts.isEmpty() ? null : mounts);
    add(parts, "hostname", n.hostname());
    add(parts, "labels", labels.isEmpty() ? null : labels);
    add(parts, "capAdd", caps(s.capAdd(), s.capAddAll()));
    add(parts, "capDrop", caps(s.capDrop(), s.capDropAll()));
    add(parts, "seccomp", s.seccomp() instanceof SeccompProfile.Default ? null : s.seccomp());
    flag(parts, !s.noNewPrivileges(), "newPrivileges allowed");
    flag(parts, s.readOnlyRootfs(), "--read-only");
    flag(parts, n.publishAll(), "-P");
    flag(parts, detach, "-d");
    flag(parts, autoRemove, "--rm");
    flag(parts, p.stdinOpen(), "-i");
    flag(parts, p.tty(), "-t");
    flag(parts, removeWithJvm, "removeWithJvm");
    return "RunOptions{" + String.join(", ", parts) + "}";
  }

  private static void add(List<String> parts, String key, Object value) {
    if (value != null) {
      parts.add(key + "=" + value);
    }
  }

  private static void flag(List<String> parts, boolean on, String word) {
    if (on) {
      parts.add(word);
    }
  }

  private static List<String> caps(Set<Capability> caps, boolean all) {
    List<String> names = new ArrayList<>();
    if (all) {
      names.add("ALL");
    }
    caps.forEach(c -> names.add(c.name()));
    return names.isEmpty() ? null : names;
  }
}
