package dev.berth.internal.net;

import dev.berth.BerthException;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The network records of one BERTH_HOME ({@code networks/<name>.json}) and the locks every
 * change holds: {@code networks/.lock} for this home's records, and the host-wide
 * {@code /run/berth/net.lock} while a subnet is picked, since other BERTH_HOMEs share the host.
 * Both are re-entrant within a thread (a JVM cannot flock one file twice).
 */
final class NetworkRecords {
  private static final Path HOST_LOCK = Path.of("/run/berth/net.lock");
  private static final ReentrantLock IN_PROCESS = new ReentrantLock(); // a JVM cannot flock a file twice
  /** The lock files this thread holds (see {@link #locked(Path, Supplier)}). */
  private static final ThreadLocal<Set<Path>> HELD = ThreadLocal.withInitial(HashSet::new);

  private final Path dir;

  NetworkRecords(Path dir) {
    this.dir = dir;
  }

  /** Every record as stored, by name. */
  List<Network> readAll() {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).map(NetworkRecords::read).sorted(
          (a, b) -> a.name().compareTo(b.name())).toList();
    } catch (IOException e) {
      throw new BerthException("Cannot list networks in " + dir + ": " + e.getMessage(), e);
    }
  }

  boolean exists(String name) {
    return Files.exists(file(name));
  }

  private Path file(String name) {
    return dir.resolve(name + ".json");
  }

  private static Network read(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), Network.class);
    } catch (IOException e) {
      throw new BerthException("Cannot read the network record " + file + ": " + e.getMessage(), e);
    }
  }

  void save(Network n) {
    try {
      FileTrees.writeAtomically(file(n.name()), Json.MAPPER.writeValueAsBytes(n), false,
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new BerthException("Cannot write the network record of " + n.name() + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  void delete(String name) {
    Path file = file(name);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new BerthException("Cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs body holding this home's records lock. */
  <T> T locked(Supplier<T> body) {
    return locked(dir.resolve(".lock"), body);
  }

  /** Runs body holding the host-wide lock, for picking a subnet no other home uses. */
  static <T> T lockedHostWide(Supplier<T> body) {
    return locked(HOST_LOCK, body);
  }

  /** Runs body holding an exclusive lock on lockFile (re-entrant in this JVM). */
  private static <T> T locked(Path lockFile, Supplier<T> body) {
    if (HELD.get().contains(lockFile)) return body.get(); // this thread holds it: a file lock cannot be taken twice
    IN_PROCESS.lock();
    HELD.get().add(lockFile);
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = ch.lock()) {
        return body.get();
      }
    } catch (IOException e) {
      throw new BerthException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
    } finally {
      HELD.get().remove(lockFile);
      IN_PROCESS.unlock();
    }
  }
}
