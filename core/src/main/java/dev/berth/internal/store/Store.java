package dev.berth.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The content-addressed store under one BERTH_HOME. Safe for several threads and JVMs at once:
 * content is staged under this store's private {@code tmp/<session>/}, verified by the caller,
 * and renamed into place; the image index is replaced atomically under a lock. A JVM killed
 * mid-write leaves only its session dir, which the next {@link #open} sweeps.
 *
 * <p><b>Garbage collection and concurrent pulls.</b> {@link #collectGarbage} removes every layer
 * dir and blob that nothing uses. "Used" is decided under the store-wide {@code gc} lock as the
 * union of (1) what the caller says is in use (the engine: every image record's manifest,
 * config, layer blobs and chain ids, and every container record's layers), and (2) what any
 * <em>live</em> session has reserved. A pull or load {@linkplain #reserve reserves} the digests
 * it is about to use, under the same lock, <em>before</em> it looks at what is stored, and
 * releases them only after its image record is written; a session is live while its
 * {@code tmp/<session>.lock} is held, so the reservations of a killed JVM die with it. Hence GC
 * either ran before the reservation (the pull then finds the content missing and fetches it) or
 * keeps the content; it never pulls content from under a pull in this or another JVM. Removal
 * renames a layer dir into this session's staging area first, so no half-deleted layer is ever
 * visible under its final name.
 */
public final class Store implements AutoCloseable {

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static final System.Logger LOG = System.getLogger("dev.berth");
  private static final String CLAIM_PREFIX = "claim-";

  private final StoreLayout layout;
  private final Path session;
  private final StoreLock sessionLock;
  private final StoreGarbage garbage;

  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  /** Removes the session at a normal exit when nobody closed the store (the default engine). */
  private final Thread exitHook;

  private Store(StoreLayout layout, Path session, StoreLock sessionLock) {
    this.layout = layout;
    this.session = session;
    this.sessionLock = sessionLock;
    this.garbage = new StoreGarbage(this, layout, session);
    this.exitHook = new Thread(this::closeSession, "berth-store-exit");
    try {
      Runtime.getRuntime().addShutdownHook(exitHook);
    } catch (IllegalStateException exiting) {
      // opened while the JVM exits: the next open sweeps the session once its lock is free
    }
  }

  /** Removes a directory tree; may throw {@link dev.berth.BerthException} too. */
  @FunctionalInterface
  public interface TreeDeleter {
    void delete(Path tree) throws IOException;
  }

  /** Opens (creating if needed) the store at {@code home} and sweeps abandoned staging dirs. */
  public static Store open(Path home) {
    return open(home, FileTrees::deleteRecursively);
  }

  /**
   * As {@link #open(Path)}, sweeping with {@code sweeper}: rootless, staged layers may hold files
   * of subordinate ids that only the helper can remove.
   */
  public static Store open(Path home, TreeDeleter sweeper) {
    StoreLayout layout = new StoreLayout(home);
    try {
      for (Path dir : List.of(layout.blobsDir(), layout.layersDir(), layout.containersDir(),
          layout.volumesDir(), layout.locksDir(), layout.tmpDir())) {
        Files.createDirectories(dir);
      }
      sweepAbandonedSessions(layout, sweeper);
      // Lock first, then create: a sweeping JVM never sees a live session dir with a free lock.
      while (true) {
        Path session = layout.tmpDir().resolve("s-" + Long.toHexString(RANDOM.nextLong()));
        Path lockFile = lockFileOf(session);
        StoreLock lock = StoreLock.acquire(lockFile);
        if (!Files.exists(lockFile)) {
          // A sweeper took the free lock file between our open and our lock, and deleted it:
          // we hold a lock nobody else can see. Sweepers delete only under the lock, so after
          // ours the file, if there, is ours.
          lock.close();
          continue;
        }
        Files.createDirectories(session);
        return new Store(layout, session, lock);
      }
    } catch (IOException e) {
      throw new BerthException("cannot open the Berth store at " + home + ": " + e
          + "; set BERTH_HOME to a writable directory", e);
    }
  }

  /**
   * Removes staging dirs whose owning store is gone (its lock is free), and lock files left
   * without their dir (a JVM killed between locking and creating it, or while closing).
   */
  private static void sweepAbandonedSessions(StoreLayout layout, TreeDeleter sweeper) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path dir : dirs) {
        String name = dir.getFileName().toString();
        if (name.endsWith(".lock")) {
          Path sessionDir = dir.resolveSibling(name.substring(0, name.length() - ".lock".length()));
          if (!Files.exists(sessionDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (StoreLock free = StoreLock.tryAcquire(dir)) {
              if (free != null && !Files.exists(sessionDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir); // under the lock: see open
              }
            }
          }
          continue;
        }
        Path lockFile = lockFileOf(dir);
        if (!Files.exists(lockFile) && isRecent(dir)) {
          continue; // its owner may be between creating the lock file and locking it
        }
        try (StoreLock free = StoreLock.tryAcquire(lockFile)) {
          if (free != null) {
            sweeper.delete(dir);
            Files.deleteIfExists(lockFile);
          }
        } catch (RuntimeException e) {
          // One tree that cannot go (a mount that will not let go) must not stop the store opening.
          LOG.log(System.Logger.Level.WARNING, "cannot remove the abandoned staging dir " + dir + ": " + e.getMessage());
        }
      }
    }
  }

  private static boolean isRecent(Path dir) throws IOException {
    return Files.getLastModifiedTime(dir).toInstant()
        .isAfter(java.time.Instant.now().minusSeconds(60));
  }

  public StoreLayout layout() {
    return layout;
  }

  // ---- staging ----------------------------------------------------------------------------

  /** A new empty file in this store's staging area, on the store's file system. */
  public Path newTempFile(String prefix) {
    try {
      return Files.createTempFile(session, prefix, ".tmp");
    } catch (IOException e) {
      throw failure("cannot create a staging file in " + session, layout.home(), e);
    }
  }

  /** A new empty directory in this store's staging area. */
  public Path newTempDir(String prefix) {
    try {
      return Files.createTempDirectory(session, prefix);
    } catch (IOException e) {
      throw failure("cannot create a staging directory in " + session, layout.home(), e);
    }
  }

  // ---- blobs ------------------------------------------------------------------------------

  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(layout.blob(digest));
  }

  public Path blobPath(Digest digest) {
    return layout.blob(digest);
  }

  /** Moves a verified temp file into place as the blob {@code digest}. */
  public void commitBlob(Path verifiedTemp, Digest digest) {
    try {
      FileTrees.moveIntoPlace(verifiedTemp, layout.blob(digest));
    } catch (IOException e) {
      throw failure("cannot store blob " + digest, layout.home(), e);
    }
  }

  /** Stores small content (manifests, configs) whose digest the caller has verified. */
  public void putBlob(Digest digest, byte[] content) {
    if (hasBlob(digest)) {
      return;
    }
    Path tmp = newTempFile("blob-");
    try {
      Files.write(tmp, content);
      commitBlob(tmp, digest);
    } catch (IOException e) {
      throw failure("cannot store blob " + digest, layout.home(), e);
    }
  }

  public byte[] readBlob(Digest digest) {
    try {
      return Files.readAllBytes(layout.blob(digest));
    } catch (IOException e) {
      throw new BerthException("blob " + digest + " is missing from the store at " + layout.home()
          + "; pull the image again", e);
    }
  }

  // ---- layers -----------------------------------------------------------------------------

  /** Metadata of an unpacked layer. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LayerMeta(String chainId, String diffId, String parent, long size, String format) {}

  public boolean hasLayer(Digest chainId) {
    return Files.isRegularFile(layout.layerMeta(chainId));
  }

  /**
   * Moves a staged layer into place. {@code staging} holds the layer's files under
   * {@code diff/}; the metadata is written beside them before the rename, so a layer dir under
   * its final name is always complete.
   */
  public void commitLayer(Path staging, LayerMeta meta) {
    Digest chainId = Digest.parse(meta.chainId());
    try {
      FileTrees.writeAtomically(staging.resolve("layer.json"), Json.INDENTED.writeValueAsBytes(meta));
      FileTrees.moveIntoPlace(staging, layout.layerDir(chainId));
    } catch (IOException e) {
      throw failure("cannot store layer " + chainId, layout.home(), e);
    }
  }

  public Optional<LayerMeta> layerMeta(Digest chainId) {
    Path meta = layout.layerMeta(chainId);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.INDENTED.readValue(meta.toFile(), LayerMeta.class));
    } catch (IOException e) {
      throw new BerthException("layer metadata " + meta + " is unreadable: " + e.getMessage()
          + "; remove that layer directory and pull again", e);
    }
  }

  // ---- images -----------------------------------------------------------------------------

  /**
   * images.json as last parsed: every write replaces the file by a rename (a new inode), so the
   * same inode, time and size mean the same content, and a run need not parse it again.
   */
  private record ParsedImages(Object fileKey, java.nio.file.attribute.FileTime modified, long size,
      List<ImageRecord> images) {
    boolean matches(java.nio.file.attribute.BasicFileAttributes a) {
      return fileKey.equals(a.fileKey()) && modified.equals(a.lastModifiedTime()) && size == a.size();
    }
  }

  private volatile ParsedImages parsedImages;

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ImagesFile(int version, List<ImageRecord> images) {
    ImagesFile {
      images = images == null ? List.of() : List.copyOf(images);
    }
  }

  /** Every stored image, as of now. */
  public List<ImageRecord> images() {
    Path file = layout.imagesJson();
    java.nio.file.attribute.BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      attrs = null;
    }
    ParsedImages cached = parsedImages;
    if (cached != null && attrs != null && cached.matches(attrs)) {
      return cached.images();
    }
    try {
      List<ImageRecord> images = Json.INDENTED.readValue(file.toFile(), ImagesFile.class).images();
      if (attrs != null && attrs.fileKey() != null) {
        parsedImages = new ParsedImages(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), images);
      }
      return images;
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new BerthException("the image index " + file + " is unreadable: " + e.getMessage()
          + "; restore it from images.json.bak or remove it and pull again", e);
    }
  }

  /**
   * Replaces the image list with {@code change(current)}, atomically, under the index lock, so
   * concurrent JVMs never lose each other's updates.
   */
  public List<ImageRecord> updateImages(UnaryOperator<List<ImageRecord>> change) {
    try (StoreLock lock = StoreLock.acquire(layout.lockFile("images"))) {
      List<ImageRecord> updated = change.apply(new ArrayList<>(images()));
      FileTrees.writeAtomically(layout.imagesJson(),
          Json.INDENTED.writeValueAsBytes(new ImagesFile(1, updated)));
      return List.copyOf(updated);
    } catch (IOException e) {
      throw failure("cannot write the image index " + layout.imagesJson(), layout.home(), e);
    }
  }

  // ---- reservations and garbage collection (StoreGarbage) ---------------------------------

  /**
   * Reserves {@code digests} (chain ids or blob digests) against {@link #collectGarbage} until
   * the returned reservation is closed. See the class comment for the rule.
   */
  public Reservation reserve(Collection<Digest> digests) {
    return garbage.reserve(digests);
  }

  /** What one {@link #collectGarbage} removed. */
  public record Collected(List<Digest> layers, List<Digest> blobs, long bytes) {}

  /**
   * Removes every layer dir and blob that neither {@code inUse} (asked under the GC lock) nor a
   * live session's reservation names.
   *
   * @param inUse chain ids and blob digests that stored images and containers use
   */
  public Collected collectGarbage(Supplier<Set<Digest>> inUse) {
    return garbage.collect(inUse);
  }

  /**
   * An I/O failure as a Berth error; a full disk says so and names the store, so the user knows
   * to free space rather than suspect the image.
   */
  public static BerthException failure(String what, Path path, IOException e) {
    if (isDiskFull(e)) {
      return new BerthException(what + ": the disk holding " + path + " is full (No space left"
          + " on device); free space there or set BERTH_HOME to a larger disk", e);
    }
    return new BerthException(what + ": " + e, e);
  }

  /**
   * Whether {@code t} or one of its causes failed with ENOSPC, by errno ({@link Errno#of}): the
   * message's words are in the user's language.
   */
  public static boolean isDiskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (Errno.of(c) == Errno.ENOSPC) {
        return true;
      }
    }
    return false;
  }

  /** Holds the store-wide lock for a whole operation (pull of one image, GC). */
  public StoreLock lock(String name) {
    return StoreLock.acquire(layout.lockFile(name));
  }

  /** The lock file of session dir {@code session}: {@code tmp/s-<hex>.lock} beside it. */
  static Path lockFileOf(Path session) {
    return session.resolveSibling(session.getFileName() + ".lock");
  }

  // ---- claims and removal ------------------------------------------------------------------

  /**
   * Marks {@code name} (a container dir about to be made, before its record says whose it is) as
   * being made by this session until the claim is closed. {@link #isClaimed}, in any JVM, answers
   * true while this session lives: a sweep never takes a half-made thing whose maker is alive,
   * and may take it once the maker is provably gone (its session lock is free).
   */
  public Claim claim(String name) {
    Path marker = session.resolve(CLAIM_PREFIX + name);
    try {
      Files.createFile(marker);
    } catch (IOException e) {
      throw failure("cannot record in " + session + " that " + name + " is being made", layout.home(), e);
    }
    return new Claim(marker);
  }

  /** What one session is making; see {@link #claim}. */
  public static final class Claim implements AutoCloseable {
    private final Path marker;

    private Claim(Path marker) {
      this.marker = marker;
    }

    @Override
    public void close() {
      try {
        Files.deleteIfExists(marker);
      } catch (IOException ignored) {
        // goes with the session
      }
    }
  }

  /** @return whether a live session (this one included) has {@linkplain #claim claimed} {@code name} */
  public boolean isClaimed(String name) {
    String marker = CLAIM_PREFIX + name;
    if (Files.exists(session.resolve(marker))) {
      return true;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path dir : dirs) {
        if (dir.equals(session) || !Files.exists(dir.resolve(marker))) {
          continue;
        }
        Path lockFile = lockFileOf(dir);
        if (!Files.exists(lockFile)) {
          continue; // its owner closed it, or a sweep is taking it: not live
        }
        try (StoreLock free = StoreLock.tryAcquire(lockFile)) {
          if (free == null) {
            return true; // held: its owner is alive
          }
        }
      }
    } catch (IOException e) {
      throw failure("cannot list the sessions in " + layout.tmpDir(), layout.home(), e);
    }
    return false;
  }

  /**
   * Moves {@code tree} (under this home) into this session's staging area in one rename, for the
   * caller to delete there: a JVM killed while deleting leaves the rest to the sweep of its
   * session, never a half-deleted tree under the tree's own name. Where the rename fails the
   * tree is deleted where it is, as before.
   *
   * @return the path to delete (the tree itself when the session is closed already), or empty
   *     when the tree is gone (another JVM took it first)
   */
  public Optional<Path> stage(Path tree) {
    Path target = session.resolve("rm-" + tree.getFileName() + "-" + Long.toHexString(RANDOM.nextLong()));
    try {
      Files.move(tree, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(target);
    } catch (java.nio.file.NoSuchFileException e) {
      // Either the tree is gone (another JVM took it) or the session is: closed by the exit
      // hook while another shutdown hook still removes containers. Then delete it in place.
      return Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Optional.of(tree) : Optional.empty();
    } catch (IOException e) {
      return Optional.of(tree);
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException exiting) {
      // the hook runs (or ran) closeSession
    }
    closeSession();
  }

  /**
   * Deletes the session dir, then its lock file, and only then lets go of the lock: a sweeper
   * that gets the lock finds nothing left.
   */
  private void closeSession() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      FileTrees.deleteRecursively(session);
      Files.deleteIfExists(lockFileOf(session));
    } catch (IOException | RuntimeException ignored) {
      // swept by the next open, once the lock is free
    } finally {
      sessionLock.close();
    }
  }
}
