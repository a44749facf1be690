package dev.berth;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What this engine can do on this host, as {@code podman info} shows it: whether it runs
 * rootless, how container ids map to host ids, how container root file systems are made.
 *
 * <pre>{@code
 * System.out.println(Berth.defaultEngine().info());
 * }</pre>
 *
 * <p>Only Berth makes these (a value class, not a record, so that a field added later is
 * not a breaking change).
 */
public final class HostInfo {
  private final boolean rootless;
  private final UserNamespace userNamespace;
  private final List<IdRange> uidMap;
  private final List<IdRange> gidMap;
  private final RootfsMode rootfs;
  private final String cgroupVersion;
  private final boolean resourceLimitsPossible;
  private final String cgroupProblem;
  private final Map<String, String> networkModes;
  private final Map<String, String> networkModesUnavailable;
  private final Path storePath;
  private final Path helperPath;
  private final String kernelVersion;
  private final String engine;
  private final Map<String, String> unsupported;
  private final String publishedPortHost;


  /** How container ids map to host ids. */
  public enum UserNamespace {
    /** Root: no user namespace; container root is host root (confined by namespaces, capabilities). */
    NONE,
    /**
     * Unprivileged without subordinate ids: only the user's own uid and gid exist in the
     * container (as 0); every file owner is squashed to them and the container cannot switch
     * to another user.
     */
    SINGLE,
    /** Unprivileged with subordinate ids: the user as 0 and its /etc/subuid range as 1..65536. */
    FULL_RANGE
  }

  /** How a container's root file system is made. */
  public enum RootfsMode {
    /** Kernel overlayfs of the image's layers (root; trusted.overlay xattrs). */
    OVERLAY,
    /** Kernel overlayfs mounted in the user namespace with {@code userxattr} (rootless). */
    OVERLAY_USERXATTR,
    /** fuse-overlayfs of the layers (rootless, where the kernel refuses overlay). */
    FUSE_OVERLAYFS,
    /** A copy of the layers into the container's directory (slow start, uses disk). */
    COPY
  }

  /**
   * One map line: container ids {@code containerId..containerId+size-1} are host ids from
   * {@code hostId}.
   */
  public record IdRange(long containerId, long hostId, long size) {
    @Override
    public String toString() {
      return containerId + "->" + hostId + (size > 1 ? " (" + size + ")" : "");
    }
  }


  /** @return several lines, one per fact */
  @Override
  public String toString() {
    String ids = switch (userNamespace) {
      case NONE -> "none (root: container ids are host ids)";
      case SINGLE -> "single id (uid " + uidMap + ", gid " + gidMap + "; other owners squashed to yours)";
      case FULL_RANGE -> "full range (uids " + uidMap + ", gids " + gidMap + ")";
    };
    return "Berth host info\n"
        + "  engine:          " + engine + "\n"
        + (unsupported.isEmpty() ? "" : "  cannot:          " + String.join(", ", unsupported.keySet()) + "\n")
        + "  rootless:        " + rootless + "\n"
        + "  user namespace:  " + ids + "\n"
        + "  root fs:         " + rootfs.name().toLowerCase(java.util.Locale.ROOT).replace('_', '+') + "\n"
        + "  cgroups:         " + cgroupVersion + (resourceLimitsPossible ? ", limits possible" : ", no limits")
        + (cgroupProblem.isEmpty() ? "" : " (" + cgroupProblem + ")") + "\n"
        + "  networks:        " + String.join(", ", networkModes.keySet())
        + (networkModesUnavailable.isEmpty() ? "" : "; not here: " + String.join(", ", networkModesUnavailable.keySet()))
        + "\n"
        + "  store:           " + storePath + "\n"
        + "  helper:          " + helperPath + "\n"
        + "  kernel:          " + kernelVersion;
  }

  /** Only through {@code internal.engine.PublicValues}: no public constructor to break. */
  HostInfo(boolean rootless, UserNamespace userNamespace, List<IdRange> uidMap,
      List<IdRange> gidMap, RootfsMode rootfs, String cgroupVersion, boolean resourceLimitsPossible,
      String cgroupProblem, Map<String, String> networkModes,
      Map<String, String> networkModesUnavailable, Path storePath, Path helperPath,
      String kernelVersion, String engine, Map<String, String> unsupported,
      String publishedPortHost) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(publishedPortHost, "publishedPortHost");
    this.publishedPortHost = publishedPortHost;
    unsupported = Collections.unmodifiableMap(new LinkedHashMap<>(unsupported));
    this.engine = engine;
    this.unsupported = unsupported;
    Objects.requireNonNull(userNamespace, "userNamespace");
    Objects.requireNonNull(rootfs, "rootfs");
    uidMap = List.copyOf(uidMap);
    gidMap = List.copyOf(gidMap);
    Objects.requireNonNull(cgroupProblem, "cgroupProblem");
    // copies that keep the order given (the most useful mode first)
    networkModes = Collections.unmodifiableMap(new LinkedHashMap<>(networkModes));
    networkModesUnavailable = Collections.unmodifiableMap(new LinkedHashMap<>(networkModesUnavailable));
    this.rootless = rootless;
    this.userNamespace = userNamespace;
    this.uidMap = uidMap;
    this.gidMap = gidMap;
    this.rootfs = rootfs;
    this.cgroupVersion = cgroupVersion;
    this.resourceLimitsPossible = resourceLimitsPossible;
    this.cgroupProblem = cgroupProblem;
    this.networkModes = networkModes;
    this.networkModesUnavailable = networkModesUnavailable;
    this.storePath = storePath;
    this.helperPath = helperPath;
    this.kernelVersion = kernelVersion;
  }

  /**
   * @return whether the engine runs as an unprivileged user (containers then get a user
   *     namespace and can do no more than that user can; see the README's Rootless section)
   */
  public boolean rootless() {
    return rootless;
  }

  /** @return how container ids map to host ids */
  public UserNamespace userNamespace() {
    return userNamespace;
  }

  /** @return uid map lines (empty for {@link UserNamespace#NONE}) */
  public List<IdRange> uidMap() {
    return uidMap;
  }

  /** @return gid map lines (empty for {@link UserNamespace#NONE}) */
  public List<IdRange> gidMap() {
    return gidMap;
  }

  /** @return how a container's root file system is made */
  public RootfsMode rootfs() {
    return rootfs;
  }

  /**
   * @return the host's cgroup hierarchy: {@code v1}, {@code v2}, {@code hybrid} or
   *     {@code none} (as the host mounts it)
   */
  public String cgroupVersion() {
    return cgroupVersion;
  }

  /**
   * @return whether memory/CPU/pids limits can be applied to containers:
   *     this process may create cgroups (root; or a delegated cgroup v2 subtree, or on v1 its own
   *     cgroups of the controllers, chowned to the user)
   */
  public boolean resourceLimitsPossible() {
    return resourceLimitsPossible;
  }

  /** @return why limits are not possible, with what to do; empty when they are */
  public String cgroupProblem() {
    return cgroupProblem;
  }

  /**
   * @return each network mode that works here ({@code private}, {@code none},
   *     {@code host}, {@code container}, {@code user-defined}), with whether and how its
   *     containers reach other hosts
   */
  public Map<String, String> networkModes() {
    return networkModes;
  }

  /**
   * @return each network mode that does not work here, with the reason and
   *     the fix
   */
  public Map<String, String> networkModesUnavailable() {
    return networkModesUnavailable;
  }

  /** @return the engine's BERTH_HOME */
  public Path storePath() {
    return storePath;
  }

  /** @return the native helper executable */
  public Path helperPath() {
    return helperPath;
  }

  /** @return the running kernel's release, as {@code uname -r} */
  public String kernelVersion() {
    return kernelVersion;
  }

  /**
   * @return the engine this {@code Berth} talks to: {@code local} (this JVM's kernel) or
   *     {@code remote <DOCKER_HOST>} with the remote engine's name and version, e.g.
   *     {@code remote unix:///run/podman/podman.sock (Podman Engine 4.3.1, API 1.41)}
   */
  public String engine() {
    return engine;
  }

  /**
   * @return what this engine cannot do, each with why (empty for the local engine), e.g.
   *     {@code unpackTo -> the image's layers are on the remote engine's host}
   */
  public Map<String, String> unsupported() {
    return unsupported;
  }

  /**
   * @return the address published ports are reached at: {@code 127.0.0.1} for the local engine;
   *     for a remote one the engine's host ({@code localhost} behind a {@code unix://} socket,
   *     the host of a {@code tcp://} URL)
   */
  public String publishedPortHost() {
    return publishedPortHost;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HostInfo other)) {
      return false;
    }
    return rootless == other.rootless
        && java.util.Objects.equals(userNamespace, other.userNamespace)
        && java.util.Objects.equals(uidMap, other.uidMap)
        && java.util.Objects.equals(gidMap, other.gidMap)
        && java.util.Objects.equals(rootfs, other.rootfs)
        && java.util.Objects.equals(cgroupVersion, other.cgroupVersion)
        && resourceLimitsPossible == other.resourceLimitsPossible
        && java.util.Objects.equals(cgroupProblem, other.cgroupProblem)
        && java.util.Objects.equals(networkModes, other.networkModes)
        && java.util.Objects.equals(networkModesUnavailable, other.networkModesUnavailable)
        && java.util.Objects.equals(storePath, other.storePath)
        && java.util.Objects.equals(helperPath, other.helperPath)
        && java.util.Objects.equals(kernelVersion, other.kernelVersion)
        && engine.equals(other.engine) && unsupported.equals(other.unsupported)
        && publishedPortHost.equals(other.publishedPortHost);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(rootless, userNamespace, uidMap, gidMap, rootfs, cgroupVersion, resourceLimitsPossible, cgroupProblem, networkModes, networkModesUnavailable, storePath, helperPath, kernelVersion, engine, unsupported, publishedPortHost);
  }

}
