package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.internal.runtime.ContainerNames;
import dev.berth.internal.store.Store;
import dev.berth.internal.store.StoreLock;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Container names, unique across every JVM sharing a store without reading every container:
 * a name is a symlink {@code names/<name> -> ../containers/<id>}, and creating a symlink that
 * exists fails, so exactly one JVM gets a name. A name whose container directory is gone (a
 * monitor removed a {@code --rm} container, or a crash) is stale and may be taken again.
 */
final class ContainerNameIndex {
  private final Store store;
  private final Path dir;

  ContainerNameIndex(Store store) {
    this.store = store;
    this.dir = store.layout().containerNamesDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new BerthException("cannot create " + dir + ": " + e, e);
    }
  }

  /**
   * Takes {@code wanted} (or a generated name when null) for container {@code id}.
   *
   * @throws BerthException Docker's conflict message when the name is taken
   */
  String reserve(String wanted, String id) {
    if (wanted != null) {
      if (!tryTake(wanted, id)) {
        throw new dev.berth.ConflictException("Conflict. The container name \"/" + wanted
            + "\" is already in use by container \"" + idOf(wanted).orElse("?")
            + "\". You have to remove (or rename) that container to be able to reuse that name.");
      }
      return wanted;
    }
    while (true) {
      String name = ContainerNames.generate(n -> Files.exists(dir.resolve(n),
          LinkOption.NOFOLLOW_LINKS) && idOf(n).isPresent());
      if (tryTake(name, id)) {
        return name;
      }
    }
  }

  /**
   * Frees {@code name} if it still belongs to {@code id}. Under the names lock, as every delete
   * of a link: a link is replaced only under it, or created where none is, so a link checked
   * under the lock is still the one deleted.
   */
  void release(String name, String id) {
    try (StoreLock lock = store.lock("names")) {
      if (idOf(name).filter(id::equals).isPresent() || isStale(name)) {
        Files.deleteIfExists(dir.resolve(name));
      }
    } catch (IOException ignored) {
      // a stale name is taken over later anyway
    }
  }

  /**
   * Deletes the names whose container directory is gone (a {@code --rm} monitor removed it, a
   * JVM was killed between removing a container and its name, a sweep removed a half-created
   * one). A directory is made before its name, so a name without one is never a create on its way.
   */
  void sweepStale() {
    try (StoreLock lock = store.lock("names");
        java.nio.file.DirectoryStream<Path> links = Files.newDirectoryStream(dir)) {
      for (Path link : links) {
        if (isStale(link.getFileName().toString())) {
          Files.deleteIfExists(link);
        }
      }
    } catch (IOException | BerthException e) {
      // taken over when wanted again
    }
  }

  /** @return the id of the live container that has {@code name} */
  Optional<String> idOf(String name) {
    if (!ContainerNames.isValid(name)) {
      return Optional.empty();
    }
    try {
      String id = Files.readSymbolicLink(dir.resolve(name)).getFileName().toString();
      return Files.isDirectory(store.layout().containerDir(id)) ? Optional.of(id)
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BerthException("cannot read the name " + dir.resolve(name) + ": " + e, e);
    }
  }

  private boolean tryTake(String name, String id) {
    Path link = dir.resolve(name);
    Path target = Path.of("..", "containers", id);
    try {
      Files.createSymbolicLink(link, target);
      return true;
    } catch (FileAlreadyExistsException e) {
      // Taking over a stale name must not race another JVM doing the same: under a lock.
      try (StoreLock lock = store.lock("names")) {
        if (!isStale(name)) {
          return false;
        }
        Files.delete(link);
        Files.createSymbolicLink(link, target);
        return true;
      } catch (IOException io) {
        return false;
      }
    } catch (IOException e) {
      throw new BerthException("cannot record the container name " + link + ": " + e, e);
    }
  }

  private boolean isStale(String name) {
    return Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS) && idOf(name).isEmpty();
  }
}
