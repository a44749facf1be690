package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ContainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a list reads of each container, as last parsed, by file identity, so that listing a
 * thousand containers that did not change costs a stat each, not two JSON parses each, whichever
 * JVM or monitor wrote the files.
 *
 * <ul>
 *   <li>{@code container.json} (by Java) and {@code state.json} (by the monitor) are only ever
 *       replaced by an atomic rename in the container's directory: a new inode. An unchanged
 *       inode, modification time and size mean unchanged contents.
 *   <li>That rename also sets the directory's modification time. Once that time lies well in
 *       the past ({@link #SETTLED_DIR}, far beyond the kernel's timestamp granularity) any later
 *       rename in it gives it a later one, so an unchanged directory means unchanged files and
 *       they need no stat of their own. A directory changed within the last second is not
 *       trusted so: both files are looked at.
 *   <li>A container's info is kept once it is <em>settled</em>: created and never started (no
 *       state), or exited by its state. Such an info follows from the two files alone, so it is
 *       reused while both are the same parses; a start replaces {@code state.json} and with it
 *       the info. Any other is worked out on every call: a running container's liveness, pause,
 *       ports and addresses change under unchanged files, and one whose monitor was killed is
 *       judged by its processes each time (few, and never a stale judgment).
 * </ul>
 */
final class RecordCache {
  /** How old a directory's modification time must be for an unchanged one to vouch for its files. */
  static final long SETTLED_DIR = TimeUnit.SECONDS.toNanos(1);

  /** One container as last read; {@code state} is empty for a container never started. */
  record Snapshot(ContainerRecord record, Optional<ContainerState> state) {
    /** @return whether its info follows from these files alone: never started, or exited */
    boolean settled() {
      return state.isEmpty() || state.get().exited();
    }
  }

  /** A file's identity when it was looked at. */
  private record FileId(Object fileKey, long modifiedNanos, long size) {
    static FileId of(BasicFileAttributes a) {
      return new FileId(a.fileKey(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
    }
  }

  /**
   * A container's directory and files as last read. {@code dirVouches}: the directory's time was
   * old enough, when it was looked at before its files, for an unchanged directory to stand for
   * unchanged files. {@code settled}: the info of a settled container once worked out, else null.
   */
  private record Entry(FileId dir, boolean dirVouches, FileId recordFile, FileId stateFile,
      Snapshot snapshot, ContainerInfo settled) {
    Entry withSettled(ContainerInfo info) {
      return new Entry(dir, dirVouches, recordFile, stateFile, snapshot, info);
    }
  }

  private final Map<Path, Entry> byDir = new ConcurrentHashMap<>();

  /** @return the container's record and state, or empty when there is no record (a create under way) */
  Optional<Snapshot> read(ContainerFiles files) {
    return Optional.ofNullable(entry(files)).map(Entry::snapshot);
  }

  /**
   * @return the container's info: the one kept for its files when it is settled and they did
   *     not change, else {@code compute}'s for the snapshot (kept when it is settled); empty when
   *     the container has no record
   */
  Optional<ContainerInfo> info(ContainerFiles files, Function<Snapshot, ContainerInfo> compute) {
    Entry e = entry(files);
    if (e == null) {
      return Optional.empty();
    }
    if (e.settled() != null) {
      return Optional.of(e.settled());
    }
    ContainerInfo info = compute.apply(e.snapshot());
    if (e.snapshot().settled()) {
      // only if no one has put a newer read there meanwhile
      byDir.replace(files.dir(), e, e.withSettled(info));
    }
    return Optional.of(info);
  }

  /**
   * Forgets the containers whose directories are not in {@code dirs}, all of containers/ (removed
   * ones). A list reads every directory, so there is more here than in {@code dirs} only after
   * a removal.
   */
  void retainOnly(Collection<Path> dirs) {
    if (byDir.size() > dirs.size()) {
      Set<Path> keep = new HashSet<>(dirs);
      byDir.keySet().retainAll(keep);
    }
  }

  /** The container's entry, read again where its files changed; null when it has no record. */
  private Entry entry(ContainerFiles files) {
    Path key = files.dir();
    long now = System.currentTimeMillis();
    BasicFileAttributes dirAttrs = attributes(files.dir());
    if (dirAttrs == null) {
      byDir.remove(key);
      return null;
    }
    FileId dir = FileId.of(dirAttrs);
    Entry e = byDir.get(key);
    if (e != null && e.dirVouches() && e.dir().equals(dir)) {
      return e;
    }
    // The directory first, then its files: a rename in between leaves a directory time that
    // the next read finds changed.
    boolean vouches = dir.modifiedNanos() < TimeUnit.MILLISECONDS.toNanos(now) - SETTLED_DIR;
    BasicFileAttributes recordAttrs = attributes(files.record());
    if (recordAttrs == null) {
      byDir.remove(key);
      return null;
    }
    FileId recordFile = FileId.of(recordAttrs);
    ContainerRecord record = e != null && recordFile.equals(e.recordFile()) ? e.snapshot().record()
        : ContainerRecord.read(files).orElse(null);
    if (record == null) {
      byDir.remove(key);
      return null;
    }
    BasicFileAttributes stateAttrs = attributes(files.state());
    FileId stateFile = stateAttrs == null ? null : FileId.of(stateAttrs);
    Optional<ContainerState> state = e != null && Objects.equals(stateFile, e.stateFile())
        ? e.snapshot().state()
        : stateFile == null ? Optional.empty() : ContainerState.read(files.state());
    Snapshot snapshot = e != null && record == e.snapshot().record()
        && state == e.snapshot().state() ? e.snapshot() : new Snapshot(record, state);
    Entry fresh = new Entry(dir, vouches, recordFile, stateFile, snapshot,
        e != null && snapshot == e.snapshot() ? e.settled() : null);
    byDir.put(key, fresh);
    return fresh;
  }

  /** @return the file's attributes, or null when it is not there */
  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new dev.berth.BerthException("cannot read the attributes of " + file + ": " + e, e);
    }
  }
}
