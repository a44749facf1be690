package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.UnsafeArchiveException;
import dev.berth.internal.manifest.Compression;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A tar archive read with random access: one scan of the headers (seeking over the content),
 * then each needed file read straight from its offset, in any order. So an archive whose
 * manifest.json comes last (as {@code docker save} writes it) needs no second pass and no copy.
 *
 * <p>A compressed archive ({@code docker save | gzip}) has no random access: it is decompressed
 * once into a temp file, deleted on {@link #close()}.
 *
 * <p>Links inside the tar are followed (docker save links repeated layers), but only to entries
 * inside the archive; any entry or link that leaves the archive refuses the whole archive.
 */
final class TarTree implements ArchiveTree {
  private static final int MAX_LINK_HOPS = 32;

  private final String name;
  private final TarFile tar;
  private final Path tempCopy;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();

  private TarTree(String name, TarFile tar, Path tempCopy) {
    this.name = name;
    this.tar = tar;
    this.tempCopy = tempCopy;
    for (TarArchiveEntry e : tar.getEntries()) {
      String path = ArchivePaths.normalise(e.getName(), name);
      if (e.isSymbolicLink()) {
        checkSymlink(path, e.getLinkName());
      } else if (e.isLink()) {
        ArchivePaths.normalise(e.getLinkName(), name);
      }
      entries.put(path, e);
    }
  }

  /**
   * @param file a tar, plain or gzip/zstd-compressed
   * @param tempDir where a compressed archive is decompressed to
   * @throws BerthException naming the file when it is not a readable tar (truncated, corrupt)
   * @throws UnsafeArchiveException when an entry or link leaves the archive
   */
  static TarTree open(Path file, Path tempDir) {
    Path temp = null;
    try {
      Compression compression;
      try (InputStream in = Files.newInputStream(file)) {
        compression = LayerStreams.sniff(in);
      }
      Path plain = file;
      if (compression != Compression.NONE) {
        temp = Files.createTempFile(tempDir, "berth-archive-", ".tar");
        decompress(file, compression, temp);
        plain = temp;
      }
      return new TarTree(file.toString(), new TarFile(plain), temp);
    } catch (NoSuchFileException e) {
      deleteQuietly(temp);
      throw new BerthException("image archive " + file + " does not exist: check the path");
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      if (e instanceof BerthException be) {
        throw be;
      }
      throw new BerthException("cannot read image archive " + file + " as a tar: " + reason(e)
          + "; it is truncated, corrupt or not an image archive (make it again with save)", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean exists(String path) {
    TarArchiveEntry e = resolve(path);
    return e != null && e.isFile();
  }

  @Override
  public long size(String path) throws IOException {
    return existing(path).getSize();
  }

  @Override
  public InputStream open(String path) throws IOException {
    return tar.getInputStream(existing(path));
  }

  @Override
  public void close() throws IOException {
    try {
      tar.close();
    } finally {
      deleteQuietly(tempCopy);
    }
  }

  private TarArchiveEntry existing(String path) throws IOException {
    TarArchiveEntry e = resolve(path);
    if (e == null || !e.isFile()) {
      throw new NoSuchFileException(name + "!" + path);
    }
    return e;
  }

  /** Follows links inside the archive; a symlink's target is relative to its directory. */
  private TarArchiveEntry resolve(String path) {
    String current = ArchivePaths.normalise(path, name);
    for (int hop = 0; hop < MAX_LINK_HOPS; hop++) {
      TarArchiveEntry e = entries.get(current);
      if (e == null || !(e.isSymbolicLink() || e.isLink())) {
        return e;
      }
      current = e.isSymbolicLink()
          ? ArchivePaths.normalise(ArchivePaths.parent(current) + "/" + e.getLinkName(), name)
          : ArchivePaths.normalise(e.getLinkName(), name);
    }
    throw new BerthException("image archive " + name + ": " + path + " is a loop of links;"
        + " the archive is corrupt, make it again with save");
  }

  private void checkSymlink(String path, String target) {
    if (target.startsWith("/")) {
      throw new UnsafeArchiveException("archive " + name + " has a link " + path + " -> " + target
          + ", which is absolute: refusing the archive; image archives only link inside"
          + " themselves");
    }
    ArchivePaths.normalise(ArchivePaths.parent(path) + "/" + target, name);
  }

  private static void decompress(Path file, Compression compression, Path target)
      throws IOException {
    try (InputStream in = LayerStreams.decompress(Files.newInputStream(file), compression);
        OutputStream out = Files.newOutputStream(target)) {
      in.transferTo(out);
    }
  }

  /** Decompressors end a cut-off stream with a bare EOFException. */
  private static String reason(Exception e) {
    if (e instanceof java.io.EOFException) {
      return "it ends in the middle of its content";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static void deleteQuietly(Path temp) {
    if (temp == null) {
      return;
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // a temp file under the caller's temp dir: its sweep removes it
    }
  }
}
