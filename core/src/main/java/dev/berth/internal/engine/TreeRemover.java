package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Removes directory trees (staged layers, containers). Rootless with subordinate ids, a tree
 * may hold files owned by those ids, which the user may not remove: then the helper removes
 * it from inside a user namespace.
 */
final class TreeRemover {
  private final HelperJobs jobs;

  /** @param jobs the helper's jobs when running rootless with a full id range, else null */
  TreeRemover(HelperJobs jobs) {
    this.jobs = jobs;
  }

  /**
   * Unmounts whatever a JVM killed mid-operation left mounted in the tree (a copy's view of a
   * stopped container, a volume fill's image view), then removes it: deleting through a mount
   * would reach into what is mounted there, and the mount point itself would not go.
   *
   * @throws BerthException naming the tree when it cannot be removed
   */
  void remove(Path tree) {
    if (Linux.isRoot()) {
      for (Path mountPoint : Linux.mountPointsUnder(tree)) {
        try {
          Syscalls.umount2(mountPoint.toString(), Fcntl.MNT_DETACH);
        } catch (RuntimeException e) {
          throw new BerthException("cannot remove " + tree + ": " + mountPoint
              + " is mounted there and will not unmount: " + e.getMessage(), e);
        }
      }
    }
    try {
      FileTrees.deleteRecursively(tree);
    } catch (IOException e) {
      if (jobs == null) {
        throw new BerthException("cannot remove " + tree + ": " + e, e);
      }
      jobs.removeTree(tree);
    }
  }

  /** @return the helper's jobs, or null when not rootless with a full id range */
  HelperJobs jobs() {
    return jobs;
  }
}
