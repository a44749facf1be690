package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.RunOptions;
import dev.berth.SeccompProfile;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.cgroup.CgroupLimits;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ExecUser;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.runtime.IdMapping;
import dev.berth.internal.runtime.LayerView;
import dev.berth.internal.runtime.ProcessSpec;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.runtime.UserNamespaces;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a container's record and options become for the helper and the kernel: its runtime spec
 * (root file system, user, capabilities, seccomp, mounts) and its cgroup limits.
 */
final class ContainerSpecs {
  private final Store store;
  private final HostSetup setup;
  private final ContainerDirs dirs;
  private final ContainerMounts mounts;
  private final HelperJobs jobs;
  private final Map<String, ExecUser> users = new ConcurrentHashMap<>();
  /** Layers whose format was checked, with the identity of the layer dir then (see requireFormat). */
  private final Map<Digest, Object> checkedLayers = new ConcurrentHashMap<>();

  ContainerSpecs(Store store, HostSetup setup, ContainerDirs dirs, ContainerMounts mounts, HelperJobs jobs) {
    this.store = store;
    this.setup = setup;
    this.dirs = dirs;
    this.mounts = mounts;
    this.jobs = jobs;
  }

  /** Docker's resource options as cgroup limits: a zero (or, for swap, absent) option sets no limit. */
  static CgroupLimits cgroupLimits(RunOptions.Limits l) {
    if (l.isNone()) {
      return CgroupLimits.NONE;
    }
    CgroupLimits.Builder b = CgroupLimits.builder();
    if (l.memoryBytes() > 0) {
      b.memory(l.memoryBytes());
    }
    if (l.memorySwapBytes() != 0) {
      b.memorySwap(l.memorySwapBytes());
    }
    if (l.cpus() > 0) {
      b.cpus(l.cpus());
    }
    if (l.cpuShares() > 0) {
      b.cpuShares(l.cpuShares());
    }
    if (l.pidsLimit() > 0) {
      b.pidsMax(l.pidsLimit());
    }
    return b.build();
  }

  /** {@code --security-opt seccomp=}: Docker's default profile, none, a profile file or its text. */
  static RuntimeSpec.Seccomp seccomp(SeccompProfile profile) {
    if (profile instanceof SeccompProfile.File f) {
      return new RuntimeSpec.SeccompProfileFile(f.path());
    }
    if (profile instanceof SeccompProfile.Json j) {
      return new RuntimeSpec.SeccompProfileJson(j.json());
    }
    return profile instanceof SeccompProfile.Unconfined ? new RuntimeSpec.Unconfined()
        : new RuntimeSpec.BuiltInSeccomp();
  }

  RuntimeSpec runtimeSpec(ContainerRecord record, ContainerFiles files, RunOptions opts) {
    record.layers().forEach(l -> requireFormat(Digest.parse(l), record));
    List<Path> lowers = dirs.lowerDirs(record);
    // Layers never change: one image's users resolve once.
    ExecUser user = users.computeIfAbsent(record.imageId() + "\0" + record.user(),
        k -> ExecUser.resolve(record.user(),
            LayerView.readFile(lowers, "/etc/passwd").orElse(null),
            LayerView.readFile(lowers, "/etc/group").orElse(null)));
    RunOptions.Security security = opts.security();
    ProcessSpec process = new ProcessSpec(record.argv(), record.env(), record.workingDir(),
        record.user()).withHome(user.home());
    RuntimeSpec.Builder b = RuntimeSpec.builder(rootfs(record, lowers, files), process.argv().toArray(String[]::new))
        .idMapping(setup.idMapping())
        .cwd(process.workingDir())
        .user(user.uid(), user.gid(), groupsThatExist(user, record.user()))
        .hostname(record.hostname())
        .stdinOpen(record.stdinOpen())
        .tty(record.tty())
        .capAdd(security.capAdd(), security.capAddAll())
        .capDrop(security.capDrop(), security.capDropAll())
        .privileged(security.privileged())
        .readOnlyRootfs(security.readOnlyRootfs())
        .noNewPrivileges(security.noNewPrivileges());
    if (!security.privileged()) {
      b.seccomp(seccomp(security.seccomp()));
    }
    process.env().forEach(b::env);
    mounts.runtimeMounts(record.mounts()).forEach(b::mount);
    return b.build();
  }

  /**
   * A layer unpacked for another setup has other owners and xattrs: using it would go wrong quietly.
   * A layer dir once checked is not read again while it is the same dir (a layer removed and
   * unpacked again, by any JVM, is a new dir).
   */
  private void requireFormat(Digest layer, ContainerRecord record) {
    Object dirKey = fileKey(store.layout().layerDir(layer));
    if (dirKey != null && dirKey.equals(checkedLayers.get(layer))) {
      return;
    }
    String format = store.layerMeta(layer).map(Store.LayerMeta::format).orElse(null);
    if (format != null && !format.equals(setup.layerFormat())) {
      throw new UnsupportedEnvironmentException("Layer " + layer + " of " + record.image() + " in " + store.layout().home()
          + " was unpacked as \"" + format + "\" but this engine needs \"" + setup.layerFormat()
          + "\" (the store was filled as another user or id setup): use another BERTH_HOME, or remove this one and pull again");
    }
    if (dirKey != null) {
      checkedLayers.put(layer, dirKey);
    }
  }

  private static Object fileKey(Path dir) {
    try {
      return Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Rootless, only mapped ids exist: the user and group must, extra groups that do not are
   * dropped (root in many images is in groups that a single-id namespace lacks).
   *
   * @throws UnsupportedEnvironmentException naming the user and what to do, when it cannot exist
   */
  Integer[] groupsThatExist(ExecUser user, String userName) {
    IdMapping ids = setup.idMapping();
    if (!ids.hasUid(user.uid()) || !ids.hasGid(user.gid())) {
      throw new UnsupportedEnvironmentException("The container's user \"" + userName + "\" (uid " + user.uid()
          + ", gid " + user.gid() + ") does not exist in a rootless container here, whose ids are: " + ids
          + ". Run it as user 0, or give " + System.getProperty("user.name")
          + " subordinate ids in /etc/subuid and /etc/subgid (and install uidmap) for ids 1 to 65536");
    }
    return user.groups().stream().filter(ids::hasGid).toArray(Integer[]::new);
  }

  private RuntimeSpec.RootFs rootfs(ContainerRecord record, List<Path> lowers, ContainerFiles files) {
    return switch (setup.rootfs()) {
      case OVERLAY -> new RuntimeSpec.Overlay(lowers, files.upper(), files.work(), false);
      case OVERLAY_USERXATTR -> new RuntimeSpec.Overlay(lowers, files.upper(), files.work(), true);
      // copied once: a start again keeps what the container wrote, as an overlay's upper dir does
      case COPY -> Files.isDirectory(files.copiedRoot()) ? new RuntimeSpec.Directory(files.copiedRoot())
          : copyRoot(record, files);
      case FUSE_OVERLAYFS -> new RuntimeSpec.FuseOverlay(new RuntimeSpec.Overlay(lowers, files.upper(), files.work()),
          UserNamespaces.findTool("fuse-overlayfs", System.getenv()).orElseThrow(() -> new UnsupportedEnvironmentException(
              "the fuse-overlayfs root file system needs the program fuse-overlayfs (Debian: apt-get install fuse-overlayfs)")));
    };
  }

  /** Copy mode: the container's root, its layers copied bottom first into {@code root/}. */
  RuntimeSpec.RootFs copyRoot(ContainerRecord record, ContainerFiles files) {
    Path root = files.copiedRoot();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new BerthException("cannot create the container's root directory " + root + ": " + e, e);
    }
    List<RootfsCopy.Layer> bottomFirst = record.layers().stream().map(Digest::parse)
        .map(l -> new RootfsCopy.Layer(store.layout().layerDiff(l), store.layout().layerOwners(l))).toList();
    RootfsCopy.copy(bottomFirst, root, jobs);
    return new RuntimeSpec.Directory(root);
  }
}
