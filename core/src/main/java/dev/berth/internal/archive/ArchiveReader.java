package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.DigestMismatchException;
import dev.berth.Platform;
import dev.berth.UnsafeArchiveException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the images of an archive in any {@link ArchiveFormat}, handing their layers to a
 * {@link BlobSink}: what {@code Image.load(path)} and {@code berth load} do.
 *
 * <pre>{@code
 * List<ArchiveImage> images = ArchiveReader.read(Path.of("busybox.tar"), store::acceptBlob);
 * }</pre>
 *
 * <p>How a tar is read: with random access (one scan of the headers, then each needed file read
 * from its offset), so files may come in any order and nothing is extracted. A gzip or zstd
 * compressed tar is decompressed once into a temp file first.
 *
 * <p>Every blob is verified against its digest (layers of a legacy docker archive against the
 * config's diffIDs); manifests and configs keep their bytes. A docker archive without an OCI
 * layout has no manifest: one is built, so its digest is computed (see
 * {@link DockerArchiveReader}).
 */
public final class ArchiveReader {
  private ArchiveReader() {}

  /** Reads every image, all platforms of multi-platform ones, decompressing to the temp dir. */
  public static List<ArchiveImage> read(Path source, BlobSink sink) {
    return read(source, sink, null, Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * @param source an archive or OCI layout directory
   * @param sink receives each layer once, as a stream that verifies itself
   * @param platform the platform to pick from multi-platform indexes, or {@code null} for all;
   *     single-platform images (every docker archive) are read whatever their platform
   * @param tempDir where a compressed archive is decompressed (the engine passes its store's)
   * @return the images, in the archive's order; each manifest once, with all its names
   * @throws DigestMismatchException naming the archive and the blob, when content is altered
   * @throws UnsafeArchiveException when a path or link leaves the archive
   * @throws dev.berth.ImageNotFoundException when {@code platform} is given and a
   *     multi-platform image lacks it
   * @throws BerthException naming the archive and the problem when it is missing, not an image
   *     archive, truncated, lacks a listed file, holds no image, or a sink fails
   */
  public static List<ArchiveImage> read(Path source, BlobSink sink, Platform platform,
      Path tempDir) {
    try (ArchiveTree tree = open(source, tempDir)) {
      ArchiveContent content = new ArchiveContent(tree, sink);
      boolean docker = tree instanceof TarTree tar
          && ArchiveFormat.of(tar) == ArchiveFormat.DOCKER_ARCHIVE;
      List<ArchiveImage> images = docker
          ? new DockerArchiveReader(content, platform).read()
          : new OciLayoutReader(content, platform).read();
      if (images.isEmpty()) {
        throw new BerthException("archive " + source + " holds no image: its index lists only"
            + " artifacts or nothing");
      }
      return images;
    } catch (IOException e) {
      throw new BerthException("cannot read image archive " + source + ": " + e
          + "; it is truncated or unreadable, make it again from its source", e);
    }
  }

  private static ArchiveTree open(Path source, Path tempDir) throws IOException {
    if (!Files.isDirectory(source)) {
      return TarTree.open(source, tempDir);
    }
    ArchiveFormat.detect(source, tempDir); // refuses a directory that is no OCI layout
    return new DirTree(source);
  }
}
