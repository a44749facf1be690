package dev.berth.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 *
 * <p>This class owns blobs and layers; it hands the session's staging area and claims to
 * {@link StoreSession}, the image index to {@link ImageIndex} and reservations and GC to
 * {@link StoreGarbage}.
 */
public final class Store implements AutoCloseable {

  private final StoreLayout layout;
  private final StoreSession session;
  private final ImageIndex imageIndex;
  private final StoreGarbage garbage;

  /** Removes the session at a normal exit when nobody closed the store (the default engine). */
  private final Thread exitHook;

  private Store(StoreLayout layout, StoreSession session) {
    this.layout = layout;
    this.session = session;
    this.imageIndex = new ImageIndex(layout);
    this.garbage = new StoreGarbage(this, layout, session.dir());
    this.exitHook = new Thread(session::close, "berth-store-exit");
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
      return new Store(layout, StoreSession.start(layout, sweeper));
    } catch (IOException e) {
      throw new BerthException("cannot open the Berth store at " + home + ": " + e
          + "; set BERTH_HOME to a writable directory", e);
    }
  }

  public StoreLayout layout() {
    return layout;
  }

  // ---- staging ----------------------------------------------------------------------------

  /** A new empty file in this store's staging area, on the store's file system. */
  public Path newTempFile(String prefix) {
    return session.newTempFile(prefix);
  }

  /** A new empty directory in this store's staging area. */
  public Path newTempDir(String prefix) {
    return session.newTempDir(prefix);
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

  /**
   * The gzip blob made from the stored plain-tar blob {@code plain} (a built or loaded layer)
   * when it was pushed, if it is still stored. A blob that garbage collection keeps keeps its
   * compressed form too. A note that cannot be read counts as none: the form is made again.
   */
  public Optional<Digest> compressedForm(Digest plain) {
    Path note = layout.compressedForm(plain);
    try {
      Digest gzip = Digest.parse(Files.readString(note, StandardCharsets.US_ASCII).strip());
      return hasBlob(gzip) ? Optional.of(gzip) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) { // none, or unreadable
      return Optional.empty();
    }
  }

  /** Notes that the stored blob {@code gzip} is {@code plain} compressed. */
  public void recordCompressedForm(Digest plain, Digest gzip) {
    Path note = layout.compressedForm(plain);
    try {
      Files.createDirectories(note.getParent());
      FileTrees.writeAtomically(note, (gzip + "\n").getBytes(StandardCharsets.US_ASCII), false);
    } catch (IOException e) {
      throw failure("cannot note the compressed form of blob " + plain, note, e);
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
      FileTrees.writeAtomically(staging.resolve("layer.json"), RecordJson.write(meta, true));
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
      return Optional.of(RecordJson.read(Files.readAllBytes(meta), LayerMeta.class));
    } catch (IOException e) {
      throw new BerthException("layer metadata " + meta + " is unreadable: " + e.getMessage()
          + "; remove that layer directory and pull again", e);
    }
  }

  // ---- images -----------------------------------------------------------------------------

  /** Every stored image, as of now. */
  public List<ImageRecord> images() {
    return imageIndex.read();
  }

  /**
   * Replaces the image list with {@code change(current)}, atomically, under the index lock, so
   * concurrent JVMs never lose each other's updates.
   */
  public List<ImageRecord> updateImages(UnaryOperator<List<ImageRecord>> change) {
    return imageIndex.update(change);
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

  // ---- claims and removal ------------------------------------------------------------------

  /**
   * Marks {@code name} (a container dir about to be made, before its record says whose it is) as
   * being made by this session until the claim is closed. {@link #isClaimed}, in any JVM, answers
   * true while this session lives: a sweep never takes a half-made thing whose maker is alive,
   * and may take it once the maker is provably gone (its session lock is free).
   */
  public Claim claim(String name) {
    return session.claim(name);
  }

  /** What one session is making; see {@link #claim}. */
  public static final class Claim implements AutoCloseable {
    private final Path marker;

    Claim(Path marker) {
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
    return session.isClaimed(name);
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
    return session.stage(tree);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException exiting) {
      // the hook runs (or ran) session.close
    }
    garbage.close();
    session.close();
  }
}
