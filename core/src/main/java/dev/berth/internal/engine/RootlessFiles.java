package dev.berth.internal.engine;

import dev.berth.HostInfo;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.runtime.UserNamespaces;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What root does with an overlay mounted by the JVM, done rootless through the helper's file
 * system jobs (a multi-threaded JVM cannot enter a user namespace, and only one holding the
 * subordinate ids may read every file and set every owner): a new volume filled from its
 * image, and a stopped container's files shown for a copy in or out (overlay root file systems:
 * kernel with userxattr, or fuse-overlayfs); with a single id the jobs map the user alone.
 */
final class RootlessFiles {
  private final Store store;
  private final HelperJobs jobs;
  private final HostInfo.RootfsMode mode;
  private final boolean fullRange;

  private RootlessFiles(Store store, HelperJobs jobs, HostInfo.RootfsMode mode, boolean fullRange) {
    this.store = store;
    this.jobs = jobs;
    this.mode = mode;
    this.fullRange = fullRange;
  }

  /**
   * @param jobs the engine's jobs (full id range), or null with a single id
   * @param helper the helper, for a single id's view jobs (asked for when a job runs)
   * @return the rootless files for this setup, or null as root
   */
  static RootlessFiles forSetup(Store store, HostSetup setup, HelperJobs jobs,
      java.util.function.Supplier<Path> helper) {
    if (setup.rootfs() == HostInfo.RootfsMode.OVERLAY) {
      return null; // root mounts overlays itself
    }
    boolean full = jobs != null;
    return new RootlessFiles(store, full ? jobs : new HelperJobs(helper, setup.idMapping(), store.layout().tmpDir()),
        setup.rootfs(), full);
  }

  /**
   * Copies the image's files at {@code target} into the (empty) volume dir, owners kept. In
   * copy mode, and with a single id (the layers are all the user's then), the layers' subtree
   * is merged as a copied root is, owners from the layers' owners files set by a chown job; else
   * a job mounts the layers and copies as root of the user namespace.
   */
  void fillVolume(List<Path> lowersTopFirst, String target, Path volumeData) {
    if (mode == HostInfo.RootfsMode.COPY || !fullRange) {
      List<RootfsCopy.Layer> bottomFirst = new ArrayList<>();
      for (Path diff : lowersTopFirst) {
        bottomFirst.add(0, new RootfsCopy.Layer(diff, diff.resolveSibling(StoreLayout.LAYER_OWNERS)));
      }
      RootfsCopy.copy(bottomFirst, Path.of(target).normalize().toString().replaceFirst("^/+", ""), volumeData,
          fullRange ? jobs : null);
      return;
    }
    Path scratch = store.newTempDir("volume-fill-");
    try {
      jobs.fill(view(lowersTopFirst, null, null), target, volumeData, scratch.resolve("view"));
    } finally {
      try {
        FileTrees.deleteRecursively(scratch);
      } catch (IOException e) {
        // an empty mount point left in the session's temp dir goes with the next sweep
      }
    }
  }

  /**
   * A stopped container's files, mounted by a job in its own mount namespace under the
   * container's directory: its upper dir over its layers, writable or (for reading) not.
   */
  HelperJobs.HeldView stoppedContainer(List<Path> lowersTopFirst, ContainerFiles files, boolean write) {
    HelperJobs.View view;
    if (write) {
      view = view(lowersTopFirst, files.upper(), files.work());
    } else {
      List<Path> all = new ArrayList<>(List.of(files.upper()));
      all.addAll(lowersTopFirst);
      view = view(all, null, null);
    }
    return jobs.hold(view, files.copyViewMountPoint());
  }

  /** Removes the mount point a held view left (empty once the job is gone). */
  static void removeMountPoint(ContainerFiles files) {
    try {
      Files.deleteIfExists(files.copyViewMountPoint());
    } catch (IOException e) {
      // not empty: something was written beside the mount; the container's removal takes it
    }
  }

  private HelperJobs.View view(List<Path> lowers, Path upper, Path work) {
    Path fuse = null;
    if (mode == HostInfo.RootfsMode.FUSE_OVERLAYFS) {
      fuse = UserNamespaces.findTool("fuse-overlayfs", System.getenv()).orElseThrow(() -> new UnsupportedEnvironmentException(
          "the fuse-overlayfs root file system needs the program fuse-overlayfs (Debian: apt-get install fuse-overlayfs)"));
    }
    return new HelperJobs.View(lowers, upper, work, mode == HostInfo.RootfsMode.OVERLAY_USERXATTR, fuse);
  }
}
