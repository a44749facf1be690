package dev.berth.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.BerthException;
import dev.berth.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The content-addressed store under one BERTH_HOME. Safe for several threads and JVMs at once:
 * content is staged under this store's private {@code tmp/<session>/}, verified by the caller,
 * and renamed into place; the image index is replaced atomically under a lock. A JVM killed
 * mid-write leaves only its session dir, which the next {@link #open} sweeps.
 */
public final class Store implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final StoreLayout layout;
  private final Path session;
  private final StoreLock sessionLock;

  private Store(StoreLayout layout, Path session, StoreLock sessionLock) {
    this.layout = layout;
    this.session = session;
    this.sessionLock = sessionLock;
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
      Path session = layout.tmpDir().resolve("s-" + Long.toHexString(RANDOM.nextLong()));
      StoreLock lock = StoreLock.acquire(session.resolveSibling(session.getFileName() + ".lock"));
      Files.createDirectories(session);
      return new Store(layout, session, lock);
    } catch (IOException e) {
      throw new BerthException("cannot open the Berth store at " + home + ": " + e
          + "; set BERTH_HOME to a writable directory", e);
    }
  }

  /** Removes staging dirs whose owning store is gone (its lock is free). */
  private static void sweepAbandonedSessions(StoreLayout layout, TreeDeleter sweeper) throws IOException {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.tmpDir(), "s-*")) {
      for (Path dir : dirs) {
        if (dir.getFileName().toString().endsWith(".lock")) {
          continue;
        }
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        if (!Files.exists(lockFile) && isRecent(dir)) {
          continue; // its owner may be between creating the lock file and locking it
        }
        try (StoreLock free = StoreLock.tryAcquire(lockFile)) {
          if (free != null) {
            sweeper.delete(dir);
            Files.deleteIfExists(lockFile);
          }
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
      throw new UncheckedIOException(e);
    }
  }

  /** A new empty directory in this store's staging area. */
  public Path newTempDir(String prefix) {
    try {
      return Files.createTempDirectory(session, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
      throw new BerthException("cannot store blob " + digest + ": " + e, e);
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
      throw new BerthException("cannot store blob " + digest + ": " + e, e);
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
      FileTrees.writeAtomically(staging.resolve("layer.json"), JSON.writeValueAsBytes(meta));
      FileTrees.moveIntoPlace(staging, layout.layerDir(chainId));
    } catch (IOException e) {
      throw new BerthException("cannot store layer " + chainId + ": " + e, e);
    }
  }

  public Optional<LayerMeta> layerMeta(Digest chainId) {
    Path meta = layout.layerMeta(chainId);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(meta.toFile(), LayerMeta.class));
    } catch (IOException e) {
      throw new BerthException("layer metadata " + meta + " is unreadable: " + e.getMessage()
          + "; remove that layer directory and pull again", e);
    }
  }

  // ---- images -----------------------------------------------------------------------------

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ImagesFile(int version, List<ImageRecord> images) {
    ImagesFile {
      images = images == null ? List.of() : List.copyOf(images);
    }
  }

  /** Every stored image, as of now. */
  public List<ImageRecord> images() {
    Path file = layout.imagesJson();
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      return JSON.readValue(file.toFile(), ImagesFile.class).images();
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
          JSON.writeValueAsBytes(new ImagesFile(1, updated)));
      return List.copyOf(updated);
    } catch (IOException e) {
      throw new BerthException("cannot write the image index " + layout.imagesJson() + ": " + e, e);
    }
  }

  /** Holds the store-wide lock for a whole operation (pull of one image, GC). */
  public StoreLock lock(String name) {
    return StoreLock.acquire(layout.lockFile(name));
  }

  @Override
  public void close() {
    try {
      FileTrees.deleteRecursively(session);
    } catch (IOException ignored) {
      // swept by the next open
    } finally {
      sessionLock.close();
      try {
        Files.deleteIfExists(session.resolveSibling(session.getFileName() + ".lock"));
      } catch (IOException ignored) {
        // swept by the next open
      }
    }
  }
}
