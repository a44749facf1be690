package dev.berth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds {@link RunOptions} with flat setters, one per Docker flag ({@code RunOptions.builder()
 * .memory(256L << 20).capAdd(Capability.NET_ADMIN).build()}). Not thread-safe; each setter
 * replaces the earlier value (lists and maps add to it). Choices are parsed where they are
 * written: a wrong capability, network or seccomp word fails at its setter, naming it.
 */
public final class RunOptionsBuilder extends AbstractRunOptionsBuilder {
  // The process and network setters are declared in the package-private superclass (split by
  // concern, issue #15); they are public members of this class all the same.
  private final LimitsBuilder limits;
  private final SecurityOptionsBuilder security;
  private final MountListBuilder mounts;
  private String name;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private boolean detach;
  private boolean autoRemove;
  private boolean removeWithJvm;

  RunOptionsBuilder() {
    limits = new LimitsBuilder(RunOptions.Limits.NONE, false);
    security = new SecurityOptionsBuilder();
    mounts = new MountListBuilder();
  }

  RunOptionsBuilder(RunOptions o) {
    super(o);
    limits = new LimitsBuilder(o.limits(), o.limitsBestEffort());
    security = new SecurityOptionsBuilder(o.security());
    mounts = new MountListBuilder(o.mounts());
    name = o.name();
    labels.putAll(o.labels());
    detach = o.detach();
    autoRemove = o.autoRemove();
    removeWithJvm = o.removeWithJvm();
  }

  /**
   * Names the container; the name must be unique among this engine's containers.
   *
   * @param name the container's name
   * @return this builder
   */
  public RunOptionsBuilder name(String name) {
    if (name != null && !name.matches("/?[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
      throw new IllegalArgumentException("invalid container name '" + name
          + "': only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters");
    }
    this.name = name == null ? null : name.replaceFirst("^/", "");
    return this;
  }

  /**
   * Adds a label.
   *
   * @param key the label's name
   * @param value its value
   * @return this builder
   */
  public RunOptionsBuilder label(String key, String value) {
    labels.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
    return this;
  }

  /**
   * Output goes only to the container log ({@code docker run -d}).
   *
   * @param detach true to run detached
   * @return this builder
   */
  public RunOptionsBuilder detach(boolean detach) {
    this.detach = detach;
    return this;
  }

  /**
   * Removes the container when it exits ({@code docker run --rm}).
   *
   * @param autoRemove true to remove it on exit
   * @return this builder
   */
  public RunOptionsBuilder autoRemove(boolean autoRemove) {
    this.autoRemove = autoRemove;
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
  public RunOptionsBuilder memory(long bytes) {
    limits.memory(bytes);
    return this;
  }

  /**
   * Limits memory plus swap ({@code --memory-swap}); -1 for unlimited swap.
   *
   * @param bytes the limit of memory plus swap, in bytes, or -1
   * @return this builder
   */
  public RunOptionsBuilder memorySwap(long bytes) {
    limits.memorySwap(bytes);
    return this;
  }

  /**
   * Limits CPU time to this many CPUs ({@code --cpus=1.5}).
   *
   * @param cpus the number of CPUs, fractions allowed
   * @return this builder
   */
  public RunOptionsBuilder cpus(double cpus) {
    limits.cpus(cpus);
    return this;
  }

  /**
   * Sets the relative CPU weight ({@code --cpu-shares}, default 1024).
   *
   * @param shares the weight
   * @return this builder
   */
  public RunOptionsBuilder cpuShares(long shares) {
    limits.cpuShares(shares);
    return this;
  }

  /**
   * Limits the number of processes ({@code --pids-limit}).
   *
   * @param max the most processes at once
   * @return this builder
   */
  public RunOptionsBuilder pidsLimit(long max) {
    limits.pidsLimit(max);
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
  public RunOptionsBuilder limitsBestEffort(boolean bestEffort) {
    limits.bestEffort(bestEffort);
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
  public RunOptionsBuilder capAdd(String capability) {
    security.capAdd(capability);
    return this;
  }

  /**
   * Adds capabilities to Docker's default set ({@code --cap-add NET_ADMIN}).
   *
   * @param capabilities the capabilities
   * @return this builder
   */
  public RunOptionsBuilder capAdd(Capability... capabilities) {
    security.capAdd(capabilities);
    return this;
  }

  /**
   * Drops a capability from the default set ({@code NET_RAW}, or {@code ALL}).
   *
   * @param capability the capability's name
   * @return this builder
   * @throws IllegalArgumentException naming it when Linux has no capability of that name
   */
  public RunOptionsBuilder capDrop(String capability) {
    security.capDrop(capability);
    return this;
  }

  /**
   * Drops capabilities from Docker's default set ({@code --cap-drop NET_RAW}); an added one wins.
   *
   * @param capabilities the capabilities
   * @return this builder
   */
  public RunOptionsBuilder capDrop(Capability... capabilities) {
    security.capDrop(capabilities);
    return this;
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
  public RunOptionsBuilder privileged(boolean privileged) {
    security.privileged(privileged);
    return this;
  }

  /**
   * Mounts the root file system read-only ({@code --read-only}).
   *
   * @param readOnly true for a read-only root file system
   * @return this builder
   */
  public RunOptionsBuilder readOnlyRootfs(boolean readOnly) {
    security.readOnlyRootfs(readOnly);
    return this;
  }

  /**
   * The seccomp profile in Docker's words ({@code --security-opt seccomp=…}): {@code default},
   * {@code unconfined}, a profile's JSON, or a Docker-format JSON file's path.
   *
   * @param profile the profile's name, text or file path
   * @return this builder
   * @throws IllegalArgumentException when blank
   */
  public RunOptionsBuilder seccomp(String profile) {
    return seccomp(SeccompProfile.parse(profile));
  }

  /**
   * The seccomp profile, typed: {@link SeccompProfile#UNCONFINED},
   * {@code SeccompProfile.file(path)}, …
   *
   * @param profile the profile
   * @return this builder
   */
  public RunOptionsBuilder seccomp(SeccompProfile profile) {
    security.seccomp(profile);
    return this;
  }

  /**
   * false lets setuid programs gain privileges ({@code no-new-privileges}; default true).
   *
   * @param on false to let setuid programs gain privileges
   * @return this builder
   */
  public RunOptionsBuilder noNewPrivileges(boolean on) {
    security.noNewPrivileges(on);
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
  public RunOptionsBuilder bind(java.nio.file.Path hostPath, String containerPath, boolean readOnly) {
    mounts.bind(hostPath, containerPath, readOnly);
    return this;
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
  public RunOptionsBuilder volume(String name, String containerPath) {
    mounts.namedVolume(name, containerPath);
    return this;
  }

  /**
   * Mounts a new anonymous volume, as {@code -v /ctr}: its name is 64 random hex characters,
   * and it is removed with the container when the container was started with
   * {@link #autoRemove(boolean)}.
   *
   * @param containerPath the absolute path inside the container
   * @return this builder
   */
  public RunOptionsBuilder volume(String containerPath) {
    mounts.anonymousVolume(containerPath);
    return this;
  }

  /**
   * Mounts a tmpfs, as {@code --mount type=tmpfs,tmpfs-size=…,tmpfs-mode=…}.
   *
   * @param containerPath the absolute path inside the container
   * @param sizeBytes its size limit, 0 for the kernel's default (half of RAM)
   * @param mode permissions of its root directory, e.g. {@code 01777}
   * @return this builder
   */
  public RunOptionsBuilder tmpfs(String containerPath, long sizeBytes, int mode) {
    mounts.tmpfs(containerPath, sizeBytes, mode);
    return this;
  }

  /**
   * Adds a mount made elsewhere; a later mount on the same container path replaces it.
   *
   * @param mount the mount
   * @return this builder
   */
  public RunOptionsBuilder mount(Mount mount) {
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
  public RunOptionsBuilder removeWithJvm(boolean removeWithJvm) {
    this.removeWithJvm = removeWithJvm;
    return this;
  }

  /** @return the immutable options */
  public RunOptions build() {
    return new RunOptions(process.build(), network.build(), limits.limits(), limits.bestEffort(),
        security.build(), mounts.build(), name, labels, detach, autoRemove, removeWithJvm);
  }

  /** @return what is set so far, as {@link RunOptions#toString()} words it */
  @Override
  public String toString() {
    return "RunOptionsBuilder" + build().toString().substring("RunOptions".length());
  }
}
