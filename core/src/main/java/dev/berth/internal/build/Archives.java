package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.internal.manifest.Compression;
import dev.berth.internal.unpack.LayerUnpacker;
import dev.berth.internal.unpack.UnpackOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * ADD's unpacking of local tar archives (plain, gzip or zstd): each archive among the sources is
 * extracted into the destination directory, keeping the owners and modes the archive gives; the
 * other sources are copied as COPY does.
 */
final class Archives {
  private Archives() {}

  /** @return the entries that are not archives, for the caller to copy */
  static List<CopySource.Entry> extractAll(List<CopySource.Entry> entries, Path diff,
      List<Path> lowers, Instant mtime) throws IOException {
    List<CopySource.Entry> rest = new ArrayList<>();
    for (CopySource.Entry e : entries) {
      Compression c = Files.isRegularFile(e.source(), LinkOption.NOFOLLOW_LINKS)
          ? tarCompression(e.source()) : null;
      if (c == null) {
        rest.add(e);
        continue;
      }
      String target = e.target().endsWith("/" + e.source().getFileName())
          ? e.target().substring(0, e.target().lastIndexOf('/')) : e.target();
      Path dir = diff.resolve(target.replaceFirst("^/+", ""));
      FileStager.makeParents(diff, dir, lowers, mtime, new HashMap<>());
      Files.createDirectories(dir);
      try (InputStream in = new BufferedInputStream(Files.newInputStream(e.source()))) {
        new LayerUnpacker(UnpackOptions.flatten()).unpack(in, c, dir, e.source().toString());
      } catch (RuntimeException ex) {
        throw new BerthException("ADD cannot extract " + e.source() + ": " + ex.getMessage(), ex);
      }
    }
    return rest;
  }

  /** @return the compression of a tar archive, or null when the file is not one */
  static Compression tarCompression(Path file) throws IOException {
    byte[] head = new byte[512];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Compression.GZIP;
    }
    if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return Compression.ZSTD;
    }
    boolean ustar = n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII)
        .equals("ustar");
    return ustar ? Compression.NONE : null;
  }
}
