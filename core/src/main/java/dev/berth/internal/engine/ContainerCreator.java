package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.NetworkMode;
import dev.berth.RunOptions;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerNames;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.ProcessSpec;
import dev.berth.internal.runtime.StoredOptions;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Reservation;
import dev.berth.internal.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;

/**
 * Making a container, as {@code docker create}: its directory, name, mounts and record (every
 * option in it, so that any JVM can start it); and renaming it.
 */
final class ContainerCreator {
  private final Store store;
  private final ContainerDirs dirs;
  private final ContainerNameIndex names;
  private final ImageConfigs configs;
  private final VolumeStore volumes;
  private final ContainerMounts mounts;
  private final ContainerNetworking networking;
  private final HostSetup setup;
  private final String bootId;

  ContainerCreator(Store store, ContainerDirs dirs, ContainerNameIndex names, ImageConfigs configs,
      VolumeStore volumes, ContainerMounts mounts, ContainerNetworking networking, HostSetup setup, String bootId) {
    this.store = store;
    this.dirs = dirs;
    this.names = names;
    this.configs = configs;
    this.volumes = volumes;
    this.mounts = mounts;
    this.networking = networking;
    this.setup = setup;
    this.bootId = bootId;
  }

  /**
   * Creates a container, as {@code docker create}: its directory, name, mounts and record, with
   * every option in it, so that any JVM can start it.
   */
  ContainerRecord create(ImageRecord image, String imageName, RunOptions opts) {
    // Until the record names them, a GC in another JVM must not take this image's layers.
    try (Reservation layers = store.reserve(image.chainIds().stream().map(Digest::parse)
        .toList())) {
      return createRecord(image, imageName, opts);
    }
  }

  private ContainerRecord createRecord(ImageRecord image, String imageName, RunOptions opts) {
    ImageConfig config = configs.get(image.id(), imageName);
    String id = ContainerNames.newId();
    ContainerFiles files = new ContainerFiles(store.layout().containerDir(id));
    // Until the record says whose the directory is, this JVM's claim does: a sweep in any JVM
    // leaves it alone while this JVM lives, and removes it once a kill has ended the create.
    try (Store.Claim claim = store.claim(ContainerDirs.claimName(id))) {
      // The directory first: a name pointing at a missing directory counts as free.
      createDirs(files);
      String name;
      try {
        name = names.reserve(opts.name(), id);
      } catch (RuntimeException e) {
        dirs.deleteDir(files);
        throw e;
      }
      return writeRecord(image, imageName, opts, config, id, files, name);
    }
  }

  private ContainerRecord writeRecord(ImageRecord image, String imageName, RunOptions opts,
      ImageConfig config, String id, ContainerFiles files, String name) {
    ContainerRecord record;
    try {
      String hostname = opts.network().hostname() != null ? opts.network().hostname() : id.substring(0, 12);
      ProcessSpec process = ProcessSpec.resolve(config.config(), opts, hostname, imageName);
      // Under the volumes lock: no volume this container records can be removed meanwhile.
      try (dev.berth.internal.store.StoreLock lock = mounts.needsVolumes(opts, config.config().volumes())
          ? volumes.lock() : null) {
        List<ContainerRecord.Mount> mounted = mounts.prepare(opts, config.config().volumes(),
            dirs.lowerDirs(image.chainIds()), id);
        record = new ContainerRecord(id, name, imageName, image.id(), Instant.now().toString(),
            process.argv(), process.env(), process.workingDir(), process.user(), hostname,
            opts.labels(), image.chainIds(), opts.process().tty(), opts.process().stdinOpen(), opts.autoRemove(),
            bootId, opts.network().mode().toString(), mounted, setup.userNamespace().name(),
            setup.rootfs().name(), StoredOptions.from(opts),
            opts.network().mode() instanceof NetworkMode.UserDefined u
                ? List.of(new ContainerRecord.NetworkRef(u.name(), opts.network().aliases())) : List.of());
        record.write(files);
      }
    } catch (RuntimeException e) {
      names.release(name, id);
      dirs.deleteDir(files);
      throw e;
    }
    return record;
  }

  /** The new container's dir (its id is new: so is the dir), with upper and work. */
  private static void createDirs(ContainerFiles files) {
    try {
      try {
        Files.createDirectory(files.dir());
      } catch (java.nio.file.NoSuchFileException noContainersDir) {
        Files.createDirectories(files.dir());
      }
      Files.createDirectory(files.upper());
      Files.createDirectory(files.work());
    } catch (IOException e) {
      throw new BerthException("cannot create the container directory " + files.dir() + ": " + e,
          e);
    }
  }

  /**
   * Renames a container, running or not, as {@code docker rename}: the new name is taken first,
   * then the record rewritten, then the old name freed, so a crash in between leaves the
   * container reachable by one of them. Peers on its user-defined network reach it by the new
   * name at once (their hosts files are rewritten), and no longer by the old.
   *
   * @return the record under its new name
   * @throws BerthException when the name is taken (naming the container that has it), is the
   *     current one, or the container was removed
   * @throws IllegalArgumentException when the name is not Docker's {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}
   */
  ContainerRecord rename(ContainerRecord given, String newName) {
    String wanted = newName == null ? null : newName.replaceFirst("^/", "");
    if (!ContainerNames.isValid(wanted)) {
      throw new IllegalArgumentException("Invalid container name (" + newName + "), only"
          + " [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at least two characters");
    }
    ContainerFiles files = dirs.files(given.id());
    // the start lock: no start rewrites the record (its boot id) meanwhile
    return dirs.underStartLock(given, r -> {
      if (r.name().equals(wanted)) {
        throw new BerthException("Renaming a container with the same name as its current name: "
            + wanted + " is container " + r.id() + " already");
      }
      names.reserve(wanted, r.id());
      ContainerRecord renamed = r.withName(wanted);
      try {
        renamed.write(files);
      } catch (RuntimeException e) {
        names.release(wanted, r.id());
        throw e;
      }
      names.release(r.name(), r.id());
      networking.renamed(r, wanted); // its peers reach it by the new name at once
      return renamed;
    });
  }
}
