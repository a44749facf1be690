package dev.berth.internal.store;

import dev.berth.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  /** The session's reservation file, open from its first write until {@link #close}. */
  private FileChannel reservations;
  /** Its length as last written: only a shorter text needs a truncate. */
  private long reservationsLength;

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
   * Writes the session's reservation file in place: every writer (this session) and every
   * reader ({@link #collect}, in any JVM) holds the gc lock, so no reader sees a write half done,
   * and no temp file and rename are needed (two of each per container run before). A write that
   * fails part way (an I/O error) may leave a file no reader can parse: collections then fail,
   * naming it, until the next write here succeeds; they never take what it held. A session killed
   * mid-write is not live, and its file is not read.
   */
  private void writeReservations(String text) {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    try {
      synchronized (this) {
        if (reservations == null) {
          // not durable: a reservation matters only while this session lives, and a crash ends it
          reservations = FileChannel.open(session.resolve(RESERVED_FILE),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          reservationsLength = reservations.size();
        }
        // a write that fails part way may leave up to the longer of the two
        long longest = Math.max(reservationsLength, bytes.limit());
        reservationsLength = longest;
        for (long at = 0; bytes.hasRemaining(); ) {
          at += reservations.write(bytes, at);
        }
        if (bytes.limit() < longest) {
          reservations.truncate(bytes.limit());
        }
        reservationsLength = bytes.limit();
      }
    } catch (IOException e) {
      throw Store.failure("cannot record reserved content in " + session, session, e);
    }
  }

  /** Closes the reservation file (the session removes it); a later write opens it again. */
  synchronized void close() {
    if (reservations != null) {
      try {
        reservations.close();
      } catch (IOException ignored) {
        // the session's removal follows
      }
      reservations = null;
      reservationsLength = 0;
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
                out.add(reservedDigest(file, line.strip()));
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** A line of a live session's file: unreadable, the collection fails rather than guess. */
  private static Digest reservedDigest(Path file, String line) throws IOException {
    try {
      return Digest.parse(line);
    } catch (IllegalArgumentException e) {
      throw new IOException("the reservation file " + file + " of a live session has a line that is"
          + " no digest (" + e.getMessage() + "): nothing was collected; try again once that"
          + " session has written it again or ended", e);
    }
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
