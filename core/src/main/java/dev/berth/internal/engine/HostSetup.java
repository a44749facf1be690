package dev.berth.internal.engine;

import dev.berth.HostInfo;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.cgroup.Cgroups;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.runtime.IdMapping;
import dev.berth.internal.runtime.UserNamespaces;
import dev.berth.internal.unpack.UnpackOptions;
import dev.berth.internal.util.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How this engine isolates containers on this host, decided once when it opens: the id mapping
 * (root, single id, full subordinate range) and how root file systems are made.
 *
 * @param idMapping container ids to host ids
 * @param rootfs overlay (root or userxattr), fuse-overlayfs or copy
 */
record HostSetup(IdMapping idMapping, HostInfo.RootfsMode rootfs) {
  /** Forces a root file system mode: overlay, overlay_userxattr, fuse_overlayfs or copy. */
  static final String ROOTFS_ENV = "BERTH_ROOTFS";
  private static final Path DEV_FUSE = Path.of("/dev/fuse");
  private static volatile boolean toldSingle;
  /** In the order Berth.info() lists them: the default first. */
  private static final List<NetworkSpec.Mode> NETWORK_MODES = List.of(NetworkSpec.Mode.PRIVATE,
      NetworkSpec.Mode.NONE, NetworkSpec.Mode.HOST, NetworkSpec.Mode.CONTAINER, NetworkSpec.Mode.BRIDGE);

  static HostSetup detect(Map<String, String> env) {
    IdMapping ids = UserNamespaces.detect(env);
    if (ids.kind() == IdMapping.Kind.SINGLE && !toldSingle) {
      toldSingle = true; // once per JVM: every engine would say the same
      Log.warning("Berth runs rootless with a single id: every file owner in an image"
          + " becomes you, and containers cannot switch users. For the full range: "
          + UserNamespaces.whySingle(env));
    }
    return new HostSetup(ids, rootfsMode(env, ids));
  }

  private static HostInfo.RootfsMode rootfsMode(Map<String, String> env, IdMapping ids) {
    String forced = env.get(ROOTFS_ENV);
    if (forced != null && !forced.isBlank()) {
      try {
        return HostInfo.RootfsMode.valueOf(forced.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new dev.berth.BerthException(ROOTFS_ENV + "=" + forced + " is not one of "
            + List.of(HostInfo.RootfsMode.values()) + "; unset it to let Berth choose");
      }
    }
    if (ids.kind() == IdMapping.Kind.HOST) {
      return HostInfo.RootfsMode.OVERLAY;
    }
    // kernel 5.11+ mounts overlay in a user namespace; whiteouts must be creatable unprivileged
    if (Linux.hasOverlay() && Linux.canMknodWhiteouts()) {
      return HostInfo.RootfsMode.OVERLAY_USERXATTR;
    }
    boolean fuse = UserNamespaces.findTool("fuse-overlayfs", env).isPresent()
        && Files.isReadable(DEV_FUSE) && Files.isWritable(DEV_FUSE);
    return fuse ? HostInfo.RootfsMode.FUSE_OVERLAYFS : HostInfo.RootfsMode.COPY;
  }

  boolean rootless() {
    return idMapping.kind() != IdMapping.Kind.HOST;
  }

  boolean fullRange() {
    return idMapping.kind() == IdMapping.Kind.FULL_RANGE;
  }

  /**
   * Rootless copy mode with subordinate ids keeps layers readable by the user, with their real
   * owners in an owners file beside them (applied to each container's copy instead).
   */
  boolean ownersBeside() {
    return fullRange() && rootfs == HostInfo.RootfsMode.COPY;
  }

  /** Owners mapped to host ids; those we cannot set ourselves are deferred to the helper's chown job. */
  UnpackOptions unpackOptions() {
    return UnpackOptions.overlay().withUserXattrs(rootless())
        .withIdMapping(idMapping::hostUid, idMapping::hostGid)
        .withDeferredOwners(fullRange());
  }

  /** Recorded with each layer: layers unpacked for another setup have other owners and xattrs. */
  String layerFormat() {
    return switch (idMapping.kind()) {
      case HOST -> "overlay";
      case SINGLE -> "overlay-userxattr";
      case FULL_RANGE -> "overlay-userxattr-ids-" + idMapping.uids().get(1).outside()
          + (ownersBeside() ? "-owners-beside" : "");
    };
  }

  /** Cgroup facts from the cgroup module, network modes from the network module: one answer each. */
  HostInfo info(Path home, Path helper) {
    CgroupHost cgroups = Cgroups.detect();
    NetworkCapabilities net = NetworkCapabilities.probe();
    Map<String, String> works = new LinkedHashMap<>();
    Map<String, String> not = new LinkedHashMap<>();
    for (NetworkSpec.Mode mode : NETWORK_MODES) {
      String name = mode == NetworkSpec.Mode.BRIDGE ? "user-defined" : mode.name().toLowerCase(Locale.ROOT);
      net.whyNot(mode).ifPresentOrElse(why -> not.put(name, why),
          () -> works.put(name, net.outbound().getOrDefault(mode, "")));
    }
    return PublicValues.get().hostInfo(rootless(), userNamespace(), ranges(idMapping.uids()), ranges(idMapping.gids()), rootfs,
        cgroups.version().name().toLowerCase(Locale.ROOT), cgroups.canCreate(),
        cgroups.canCreate() ? "" : cgroups.problem(), works, not, home, helper, kernelRelease(),
        "local", Map.of(), "127.0.0.1");
  }

  HostInfo.UserNamespace userNamespace() {
    return switch (idMapping.kind()) {
      case HOST -> HostInfo.UserNamespace.NONE;
      case SINGLE -> HostInfo.UserNamespace.SINGLE;
      case FULL_RANGE -> HostInfo.UserNamespace.FULL_RANGE;
    };
  }

  private static List<HostInfo.IdRange> ranges(List<IdMapping.Range> rs) {
    return rs.stream().map(r -> new HostInfo.IdRange(r.inside(), r.outside(), r.count())).toList();
  }

  private static String kernelRelease() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      return System.getProperty("os.version");
    }
  }
}
