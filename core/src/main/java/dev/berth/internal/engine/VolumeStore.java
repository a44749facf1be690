package dev.berth.internal.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.BerthException;
import dev.berth.VolumeInfo;
import dev.berth.internal.runtime.ContainerNames;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLayout;
import dev.berth.internal.store.StoreLock;
import dev.berth.internal.util.Json;
import dev.berth.internal.util.Rfc3339;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Volumes on disk: {@code volumes/<name>/volume.json} and {@code _data/}. Every change happens
 * under the {@code volumes} lock, which container creation also holds while it records which
 * volumes it mounts, so a volume can never be removed between the check and the use, from any
 * JVM.
 */
final class VolumeStore {

  private final Store store;
  private final Supplier<List<ContainerRecord>> containers;

  /**
   * @param removeWith the id of the container whose removal removes it (an anonymous volume of
   *     a container run with autoRemove), or null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record VolumeRecord(String name, String created, Map<String, String> labels,
      String removeWith) {}

  VolumeStore(Store store, Supplier<List<ContainerRecord>> containers) {
    this.store = store;
    this.containers = containers;
  }

  private StoreLayout layout() {
    return store.layout();
  }

  /** Holds the volumes lock: for container creation, which records the volumes it uses. */
  StoreLock lock() {
    return store.lock("volumes");
  }

  // ---- public operations, each under the lock ----------------------------------------------

  /** Creates the volume, or returns it when it exists (as {@code docker volume create}). */
  VolumeInfo create(String name, Map<String, String> labels) {
    try (StoreLock l = lock()) {
      return info(read(name).orElseGet(() -> createLocked(name, labels, null)));
    }
  }

  /** @return every volume, by name; anonymous volumes of vanished --rm containers are gone */
  List<VolumeInfo> list() {
    try (StoreLock l = lock()) {
      sweepLocked();
      return records().stream().map(this::info)
          .sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }
  }

  /**
   * @throws BerthException when there is no such volume, or a container uses it and not
   *     {@code force}
   */
  void remove(String name, boolean force) {
    try (StoreLock l = lock()) {
      if (read(name).isEmpty()) {
        throw new dev.berth.NotFoundException("No such volume: " + name);
      }
      Optional<ContainerRecord> user = containers.get().stream()
          .filter(c -> c.usesVolume(name)).findFirst();
      if (user.isPresent() && !force) {
        throw new dev.berth.ConflictException("volume " + name + " is in use by container "
            + user.get().name() + " (" + user.get().id() + "); remove the container first, or"
            + " remove the volume with force");
      }
      deleteLocked(name);
    }
  }

  /** Removes every volume no container (running or not) uses; returns their names. */
  List<String> prune() {
    try (StoreLock l = lock()) {
      sweepLocked();
      List<ContainerRecord> all = containers.get();
      List<String> removed = new ArrayList<>();
      for (VolumeRecord v : records()) {
        if (all.stream().noneMatch(c -> c.usesVolume(v.name()))) {
          deleteLocked(v.name());
          removed.add(v.name());
        }
      }
      return removed;
    }
  }

  /** Removes the anonymous volumes that were to go with container {@code id}. */
  void removeOwnedBy(String id) {
    try (StoreLock l = lock()) {
      for (VolumeRecord v : records()) {
        if (id.equals(v.removeWith())) {
          deleteLocked(v.name());
        }
      }
    }
  }

  // ---- for container creation, with the lock held -----------------------------------------

  /**
   * Creates the volume when missing; an anonymous one ({@code name} null) gets a random name.
   *
   * @return the volume's name and whether it is empty (to be filled from the image)
   */
  Ensured ensureLocked(String name, String removeWith) {
    String n = name != null ? name : ContainerNames.newId();
    if (read(n).isEmpty()) {
      createLocked(n, Map.of(), removeWith);
    }
    Path data = layout().volumeData(n);
    try (DirectoryStream<Path> d = Files.newDirectoryStream(data)) {
      return new Ensured(n, !d.iterator().hasNext());
    } catch (IOException e) {
      throw new BerthException("cannot read volume " + n + " at " + data + ": " + e
          + "; remove the volume and run again", e);
    }
  }

  record Ensured(String name, boolean empty) {}

  void deleteLocked(String name) {
    try {
      // the record first: a half-deleted volume is then no volume at all
      Files.deleteIfExists(layout().volumeRecord(name));
      FileTrees.deleteRecursively(layout().volumeDir(name));
    } catch (IOException e) {
      throw new BerthException("cannot remove volume " + name + " at "
          + layout().volumeDir(name) + ": " + e, e);
    }
  }

  // ---- records -----------------------------------------------------------------------------

  private VolumeRecord createLocked(String name, Map<String, String> labels, String removeWith) {
    VolumeRecord r = new VolumeRecord(name, Instant.now().toString(), Map.copyOf(labels),
        removeWith);
    try {
      Files.createDirectories(layout().volumeData(name));
      FileTrees.writeAtomically(layout().volumeRecord(name), Json.MAPPER.writeValueAsBytes(r));
    } catch (IOException e) {
      throw new BerthException("cannot create volume " + name + " at "
          + layout().volumeDir(name) + ": " + e + "; check that BERTH_HOME is writable", e);
    }
    return r;
  }

  private Optional<VolumeRecord> read(String name) {
    try {
      return Optional.of(Json.MAPPER.readValue(layout().volumeRecord(name).toFile(),
          VolumeRecord.class));
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BerthException("the volume record " + layout().volumeRecord(name)
          + " is unreadable: " + e.getMessage() + "; remove " + layout().volumeDir(name)
          + " to forget the volume", e);
    }
  }

  private List<VolumeRecord> records() {
    List<VolumeRecord> out = new ArrayList<>();
    if (!Files.isDirectory(layout().volumesDir())) {
      return out;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout().volumesDir())) {
      for (Path d : dirs) {
        read(d.getFileName().toString()).ifPresent(out::add);
      }
    } catch (IOException e) {
      throw new BerthException("cannot list " + layout().volumesDir() + ": " + e, e);
    }
    return out;
  }

  /** A --rm container removed by its monitor (no JVM around) leaves its volumes to us. */
  private void sweepLocked() {
    for (VolumeRecord v : records()) {
      if (v.removeWith() != null && !Files.exists(layout().containerDir(v.removeWith()))) {
        deleteLocked(v.name());
      }
    }
  }

  private VolumeInfo info(VolumeRecord r) {
    return new VolumeInfo(r.name(), layout().volumeData(r.name()), Rfc3339.parse(r.created()),
        r.labels());
  }
}
