package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.DigestMismatchException;
import dev.berth.internal.store.FileTrees;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes images as an archive: what {@code image.save(path)} and {@code berth save} do.
 *
 * <pre>{@code
 * ArchiveWriter.write(Path.of("busybox.tar"), ArchiveFormat.DOCKER_ARCHIVE,
 *     List.of(image), store::openBlob);
 * }</pre>
 *
 * <p>Atomic: everything is written to a temp file (or directory) beside the target, synced, and
 * renamed into place, so the target is either the old one or the complete new one. An archive
 * replaces an existing file; an OCI layout directory must be new or empty (Berth does not merge
 * into a layout, nor write through a link).
 */
public final class ArchiveWriter {
  private ArchiveWriter() {}

  /**
   * @param target the archive file, or the directory for {@link ArchiveFormat#OCI_DIR}
   * @param images the images, each with its names; at least one
   * @param blobs where layers are read from; each is verified against its digest
   * @throws DigestMismatchException when a layer read from {@code blobs} is not what its
   *     digest (or, for docker archives, its diffID) says; nothing is written then
   * @throws BerthException naming the target when it cannot be written, is a non-empty
   *     directory or a link (OCI dir), or a layer cannot be read
   */
  public static void write(Path target, ArchiveFormat format, List<ArchiveImage> images,
      BlobSource blobs) {
    if (images.isEmpty()) {
      throw new BerthException("nothing to save to " + target + ": give at least one image");
    }
    SourceBlobs source = new SourceBlobs(blobs);
    Path absolute = target.toAbsolutePath();
    try {
      switch (format) {
        case OCI_DIR -> writeDirectory(absolute,
            dir -> new OciLayoutWriter(new DirOutput(dir), images, source).write());
        case OCI_ARCHIVE -> writeTar(absolute,
            tar -> new OciLayoutWriter(tar, images, source).write());
        case DOCKER_ARCHIVE -> writeTar(absolute,
            tar -> new DockerArchiveWriter(tar, images, source, absolute.getParent()).write());
      }
    } catch (IOException e) {
      throw new BerthException("cannot write image archive " + target + ": " + e
          + "; check that its directory exists, is writable and has space", e);
    }
  }

  @FunctionalInterface
  private interface Body<T> {
    void write(T out) throws IOException;
  }

  private static void writeTar(Path target, Body<TarOutput> body) throws IOException {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new BerthException("cannot write image archive " + target + ": it is a directory;"
          + " give a file name, or use the OCI directory format");
    }
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          TarArchiveOutputStream tar = new TarArchiveOutputStream(buffered)) {
        body.write(new TarOutput(tar));
        tar.finish();
        buffered.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeDirectory(Path target, Body<Path> body) throws IOException {
    if (Files.isSymbolicLink(target)) {
      throw new BerthException("cannot write OCI layout " + target + ": it is a link; Berth"
          + " does not write through links, give the real directory");
    }
    if (Files.exists(target) && !isEmptyDirectory(target)) {
      throw new BerthException("cannot write OCI layout " + target + ": it exists and is not an"
          + " empty directory; remove it or give a new path");
    }
    Path temp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try {
      body.write(temp);
      // rename(2) replaces an empty directory, so the layout appears whole or not at all
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        FileTrees.deleteRecursively(temp);
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    }
  }
}
