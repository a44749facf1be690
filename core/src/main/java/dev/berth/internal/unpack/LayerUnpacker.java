package dev.berth.internal.unpack;

import dev.berth.internal.manifest.Compression;
import dev.berth.BerthException;
import dev.berth.internal.linux.Capabilities;
import dev.berth.internal.linux.LinuxException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Applies one layer tar to a directory in one streaming pass. See the package documentation for
 * how names, links and whiteouts are confined to the directory.
 *
 * <pre>{@code
 * LayerUnpacker unpacker = new LayerUnpacker(UnpackOptions.overlay());
 * try (InputStream in = Files.newInputStream(blob)) {
 *   UnpackSummary s = unpacker.unpack(in, Compression.GZIP, layerDir, "sha256:1234…");
 * }
 * }</pre>
 *
 * <p>On an exception the directory holds part of the layer: unpack into a staging directory and
 * discard it on failure.
 */
public final class LayerUnpacker {
  private static final int READ_BUFFER = 1 << 20;

  private final UnpackOptions options;

  /** @param options the mode, xattr flavour, id mapping and path resolution */
  public LayerUnpacker(UnpackOptions options) {
    this.options = options;
  }

  /**
   * Reads {@code layer} to its end (so a hashing stream sees every byte) and applies it to
   * {@code dir}; does not close {@code layer}.
   *
   * @param layer the layer blob, compressed as {@code compression} says
   * @param dir an existing directory: empty for {@link UnpackMode#OVERLAY}, holding the layers
   *     below for {@link UnpackMode#FLATTEN}
   * @param layerName names the layer in messages (its digest)
   * @return entries, bytes and notes on what was skipped
   * @throws dev.berth.UnsafeArchiveException if an entry tries to reach outside {@code dir}
   * @throws dev.berth.UnsupportedEnvironmentException if OVERLAY whiteouts cannot be created
   * @throws BerthException if the archive is malformed or a file system call fails
   */
  public UnpackSummary unpack(InputStream layer, Compression compression, Path dir, String layerName) {
    return unpack(layer, compression, dir, layerName, LowerLayers.none());
  }

  /**
   * As {@link #unpack(InputStream, Compression, Path, String)}, for a layer with layers below it
   * in {@link UnpackMode#OVERLAY}: a hardlink to a file that only a lower layer holds copies that
   * file up into {@code dir} and links it there.
   *
   * @param lowers the layers below, asked for only when such a hardlink comes
   * @throws BerthException also when a hardlink's target is in no layer, or a layer below
   *     deleted it
   */
  public UnpackSummary unpack(InputStream layer, Compression compression, Path dir, String layerName,
      LowerLayers lowers) {
    try (InRoot root = InRoot.open(dir, PathResolver.of(options.resolution()));
        InputStream tarBytes = new BufferedInputStream(compression.decompress(
            new BufferedInputStream(new NonClosing(layer), READ_BUFFER)), READ_BUFFER);
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes, StandardCharsets.UTF_8.name())) {
      boolean mayChown = Capabilities.has(Capabilities.CAP_CHOWN);
      boolean parallel = options.parallelFiles() && mayChown;
      // Without CAP_CHOWN owners are noted or deferred in tar order, by this thread: one thread.
      LayerApplier applier = new LayerApplier(root, dir.toRealPath(), options, layerName, lowers,
          mayChown, parallel);
      try {
        long entries = 0;
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          entries++;
          applyOne(applier, entry, tar, layerName);
        }
        tarBytes.transferTo(OutputStream.nullOutputStream()); // tar's end-of-archive padding
        layer.transferTo(OutputStream.nullOutputStream()); // whatever trails the compressed stream
        return applier.finish(entries);
      } finally {
        applier.abandon(); // after finish: nothing left to wait for
      }
    } catch (IOException e) {
      throw new BerthException("layer " + layerName + ": cannot read the layer archive ("
          + compression + "): " + e.getMessage() + "; the blob is corrupt or not a "
          + compression.name().toLowerCase(Locale.ROOT) + " tar", e);
    } catch (LinuxException e) {
      throw new BerthException("layer " + layerName + ": " + e.getMessage(), e);
    }
  }

  private static void applyOne(LayerApplier applier, TarArchiveEntry entry, InputStream content, String layer)
      throws IOException {
    try {
      applier.apply(entry, content);
    } catch (LinuxException e) {
      throw new BerthException("layer " + layer + ": entry '" + entry.getName() + "': " + e.getMessage(), e);
    }
  }

  /** Lets the decompressors be closed (freeing native memory) without closing the caller's stream. */
  private static final class NonClosing extends FilterInputStream {
    NonClosing(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
