package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.FileFlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A container's directory as the container parts share it: its files, its layers' dirs, reading
 * its record under the start lock, and deleting it.
 */
final class ContainerDirs {
  private final Store store;
  private final TreeRemover trees;

  ContainerDirs(Store store, TreeRemover trees) {
    this.store = store;
    this.trees = trees;
  }

  ContainerFiles files(String id) {
    return new ContainerFiles(store.layout().containerDir(id));
  }

  /**
   * Runs {@code action} on the container's record as it is on disk, holding its start lock: one
   * start, remove, rename, connect or disconnect of the container at a time, across JVMs.
   *
   * @throws BerthException when the container was removed
   */
  <T> T underStartLock(ContainerRecord given, Function<ContainerRecord, T> action) {
    ContainerFiles files = files(given.id());
    return underStartLockAsWritten(given, g -> action.apply(ContainerRecord.read(files).orElseThrow(() -> gone(given))));
  }

  /** {@link #underStartLock} with the record as this JVM has just written it, not read back. */
  <T> T underStartLockAsWritten(ContainerRecord written, Function<ContainerRecord, T> action) {
    // in the directory as it is: a removed container's is not made again by its lock file
    try (FileFlock lock = FileFlock.acquireInExisting(files(written.id()).startLock())
        .orElseThrow(() -> gone(written))) {
      return action.apply(written);
    }
  }

  /**
   * Runs {@code action} holding the container's start lock.
   *
   * @return false, without running it, when the container's directory is gone
   */
  boolean underStartLockIfThere(String id, Runnable action) {
    java.util.Optional<FileFlock> lock = FileFlock.acquireInExisting(files(id).startLock());
    if (lock.isEmpty()) {
      return false;
    }
    try (FileFlock held = lock.get()) {
      action.run();
      return true;
    }
  }

  static BerthException gone(ContainerRecord r) {
    return new dev.berth.NotFoundException("No such container: " + r.name() + " (" + r.id() + ") was removed"
        + (r.autoRemove() ? " (it was created with autoRemove, so it went when it exited)" : "")
        + "; create a new one");
  }

  /** What a creating JVM claims in its session until the record is written (see {@link Store#claim}). */
  static String claimName(String containerId) {
    return "container-" + containerId;
  }

  /** Moves the directory aside first: a JVM killed while deleting leaves no half of it here. */
  void deleteDir(ContainerFiles files) {
    store.stage(files.dir()).ifPresent(trees::remove);
  }

  List<Path> lowerDirs(ContainerRecord record) {
    return lowerDirs(record.layers());
  }

  /** The layers' diff dirs, top first, as overlay's lowerdir lists them. */
  List<Path> lowerDirs(List<String> chainIdsBottomFirst) {
    List<Path> lowers = new ArrayList<>();
    for (int i = chainIdsBottomFirst.size() - 1; i >= 0; i--) {
      lowers.add(store.layout().layerDiff(Digest.parse(chainIdsBottomFirst.get(i))));
    }
    return lowers;
  }

  /** Waits (up to 10 s) until the monitor of the run that {@code s} records has exited. */
  static void awaitMonitorGone(ContainerState s) {
    ProcessHandle.of(s.monitorPid()).ifPresent(h -> {
      try {
        h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (Exception e) {
        // a monitor that lingers does not hold the directory; go on
      }
    });
  }
}
