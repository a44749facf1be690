package dev.berth.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Reading and (re)writing tars in tests, to inspect archives and to make broken ones. */
final class Tars {
  private Tars() {}

  /** One tar entry: a file ({@code link == null}) or a symlink to {@code link}. */
  record Item(String name, byte[] content, String link) {
    static Item file(String name, byte[] content) {
      return new Item(name, content, null);
    }

    static Item symlink(String name, String target) {
      return new Item(name, new byte[0], target);
    }
  }

  /** @return the regular files of a tar, by name, in tar order */
  static Map<String, byte[]> files(Path tar) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isFile()) {
          files.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return files;
  }

  static void write(Path tar, List<Item> items) throws IOException {
    try (OutputStream out = Files.newOutputStream(tar);
        TarArchiveOutputStream tarOut = new TarArchiveOutputStream(out)) {
      tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Item item : items) {
        TarArchiveEntry e = item.link() == null ? new TarArchiveEntry(item.name())
            : new TarArchiveEntry(item.name(), TarArchiveEntry.LF_SYMLINK);
        if (item.link() != null) {
          e.setLinkName(item.link());
        } else {
          e.setSize(item.content().length);
        }
        tarOut.putArchiveEntry(e);
        tarOut.write(item.content());
        tarOut.closeArchiveEntry();
      }
    }
  }

  /** Writes {@code files} (name → content) as a tar, in map order. */
  static void writeFiles(Path tar, Map<String, byte[]> files) throws IOException {
    write(tar, files.entrySet().stream().map(e -> Item.file(e.getKey(), e.getValue())).toList());
  }

  /** Tars the regular files under {@code dir}, with names relative to it. */
  static void tarDirectory(Path dir, Path tar) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    writeFiles(tar, files);
  }

  /** @return the first {@code bytes} bytes of {@code file}, written to {@code target} */
  static Path truncate(Path file, Path target, long bytes) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Files.write(target, in.readNBytes((int) bytes));
    }
    return target;
  }
}
