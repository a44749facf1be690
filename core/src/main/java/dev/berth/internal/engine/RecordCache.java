package dev.berth.internal.engine;

import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Container records as last parsed, by file identity: a record is replaced only by an atomic
 * rename (a new inode), so an unchanged inode and modification time mean unchanged contents and
 * listing a thousand containers costs a stat each instead of a JSON parse each.
 */
final class RecordCache {
  private record Entry(Object fileKey, long modifiedNanos, long size, ContainerRecord record) {}

  private final Map<String, Entry> byDir = new ConcurrentHashMap<>();

  Optional<ContainerRecord> read(ContainerFiles files) {
    String key = files.dir().toString();
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(files.record(), BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      byDir.remove(key);
      return Optional.empty();
    } catch (IOException e) {
      return ContainerRecord.read(files); // let the reader say what is wrong
    }
    long modified = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
    Entry e = byDir.get(key);
    if (e != null && Objects.equals(e.fileKey(), a.fileKey()) && e.modifiedNanos() == modified
        && e.size() == a.size()) {
      return Optional.of(e.record());
    }
    Optional<ContainerRecord> r = ContainerRecord.read(files);
    r.ifPresentOrElse(rec -> byDir.put(key, new Entry(a.fileKey(), modified, a.size(), rec)),
        () -> byDir.remove(key));
    return r;
  }
}
