package dev.berth.internal.store;

import dev.berth.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One {@link Store} session's reservations and the store's garbage collection, under the
 * store-wide {@code gc} lock (the rule is in {@link Store}'s class comment).
 */
final class StoreGarbage {
  private static final String GC_LOCK = "gc";
  private static final String RESERVED_FILE = "reserved";

  private final Store store;
  private final StoreLayout layout;
  private final Path session;
  /** Digest to the number of open reservations holding it, in this session. */
  private final Map<Digest, Integer> reserved = new HashMap<>();

  StoreGarbage(Store store, StoreLayout layout, Path session) {
    this.store = store;
    this.layout = layout;
    this.session = session;
  }

  Reservation reserve(Collection<Digest> digests) {
    Reservation r = new Reservation(this);
    r.addAll(digests);
    return r;
  }

  /**
   * Counts a hold on each digest. Only a digest this session did not hold yet changes the
   * session's reservation file, and only that change needs the gc lock: a burst of containers of
   * one image writes the file once, not once per container.
   */
  void hold(Collection<Digest> digests) {
    synchronized (reserved) {
      if (reserved.keySet().containsAll(digests)) {
        digests.forEach(d -> reserved.merge(d, 1, Integer::sum));
        return;
      }
    }
    try (StoreLock gc = store.lock(GC_LOCK)) {
      String text;
      synchronized (reserved) {
        for (Digest d : digests) {
          reserved.merge(d, 1, Integer::sum);
        }
        text = reservationText();
      }
      writeReservations(text); // under the gc lock, outside the monitor the fast path takes
    }
  }

  /** Drops a hold on each digest; the file changes (under the gc lock) only when one is freed. */
  void release(Collection<Digest> digests) {
    Map<Digest, Integer> drops = new HashMap<>();
    digests.forEach(d -> drops.merge(d, 1, Integer::sum));
    synchronized (reserved) {
      if (drops.entrySet().stream()
          .allMatch(e -> reserved.getOrDefault(e.getKey(), 0) > e.getValue())) {
        drops.forEach((d, n) -> reserved.merge(d, -n, Integer::sum));
        return;
      }
    }
    try (StoreLock gc = store.lock(GC_LOCK)) {
      String text;
      synchronized (reserved) {
        for (Digest d : digests) {
          reserved.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1);
        }
        text = reservationText();
      }
      writeReservations(text);
    }
  }

  /** The held digests, one a line; the caller holds the monitor of {@code reserved}. */
  private String reservationText() {
    StringBuilder text = new StringBuilder();
    reserved.keySet().forEach(d -> text.append(d).append('\n'));
    return text.toString();
  }

  /**
   * Writes the session's reservation file; the caller holds the gc lock, so writes happen in the
   * order of the key-set changes they record (the fast paths never change the key set).
   */
  private void writeReservations(String text) {
    try {
      // Not durable: a reservation matters only while this session lives, and a crash ends it.
      FileTrees.writeAtomically(session.resolve(RESERVED_FILE),
          text.getBytes(java.nio.charset.StandardCharsets.US_ASCII), false);
    } catch (IOException e) {
      throw Store.failure("cannot record reserved content in " + session, session, e);
    }
  }

  Store.Collected collect(Supplier<Set<Digest>> inUse) {
    try (StoreLock gc = store.lock(GC_LOCK)) {
      Set<Digest> keep = new HashSet<>(inUse.get());
      keep.addAll(liveReservations());
      keepCompressedForms(keep);
      List<Digest> layers = new ArrayList<>();
      List<Digest> blobs = new ArrayList<>();
      long bytes = 0;
      for (Digest chainId : listDigests(layout.layersDir())) {
        if (!keep.contains(chainId)) {
          bytes += store.layerMeta(chainId).map(Store.LayerMeta::size).orElse(0L);
          deleteLayer(chainId);
          layers.add(chainId);
        }
      }
      for (Digest blob : listDigests(layout.blobsDir().resolve("sha256"))) {
        if (!keep.contains(blob)) {
          bytes += deleteBlob(blob);
          blobs.add(blob);
        }
      }
      return new Store.Collected(layers, blobs, bytes);
    } catch (IOException e) {
      throw Store.failure("cannot collect unused content in the store", layout.home(), e);
    }
  }

  /**
   * A kept plain blob keeps its compressed form ({@link Store#compressedForm}); the note of a
   * blob that goes is removed first, so no note names a blob that is gone for good.
   */
  private void keepCompressedForms(Set<Digest> keep) throws IOException {
    for (Digest plain : listDigests(layout.compressedFormsDir())) {
      if (keep.contains(plain)) {
        store.compressedForm(plain).ifPresent(keep::add);
      } else {
        Files.deleteIfExists(layout.compressedForm(plain));
      }
    }
  }

  /** Reservations of every session whose owner still holds its lock (this one included). */
  private Set<Digest> liveReservations() throws IOException {
    Set<Digest> out = new HashSet<>();
    synchronized (reserved) {
      out.addAll(reserved.keySet());
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path dir : dirs) {
        Path file = dir.resolve(RESERVED_FILE);
        if (dir.equals(session) || !Files.isRegularFile(file)) {
          continue;
        }
        try (StoreLock free = StoreLock.tryAcquire(
            StoreSession.lockFileOf(dir))) {
          if (free == null) { // held: its owner is alive
            for (String line : Files.readAllLines(file)) {
              if (!line.isBlank()) {
                out.add(Digest.parse(line.strip()));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static List<Digest> listDigests(Path dir) throws IOException {
    List<Digest> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.matches("[0-9a-f]{64}")) {
          out.add(Digest.sha256(name));
        }
      }
    }
    return out;
  }

  private void deleteLayer(Digest chainId) throws IOException {
    Path doomed = session.resolve("gc-" + chainId.hex());
    // rename first: a layer dir under its final name is always whole
    Files.move(layout.layerDir(chainId), doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    FileTrees.deleteRecursively(doomed);
  }

  private long deleteBlob(Digest blob) throws IOException {
    Path p = layout.blob(blob);
    long size = Files.size(p);
    Files.deleteIfExists(p);
    return size;
  }
}
