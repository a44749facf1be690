package dev.berth.internal.build;

import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Xattrs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an overlay-format layer directory as an OCI layer tar, reproducibly: entries sorted by
 * name, numeric owners with no user or group names, mtimes truncated to seconds and clamped, no
 * atime or ctime. Overlay whiteouts (0/0 character devices) become {@code .wh.<name>} files and
 * opaque directories get a {@code .wh..wh..opq} entry, as the OCI image spec describes.
 */
final class LayerTar {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final List<String> OPAQUE_XATTRS =
      List.of("trusted.overlay.opaque", "user.overlay.opaque");
  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  private final Path root;
  private final Instant clamp;
  private final Map<String, String> hardlinks = new HashMap<>();
  private long contentBytes;

  /** @param clamp later mtimes are written as this (SOURCE_DATE_EPOCH), or null for none */
  LayerTar(Path root, Instant clamp) {
    this.root = root;
    this.clamp = clamp;
  }

  /** Writes the whole tree (not the root itself) and finishes the tar; returns content bytes. */
  long write(OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    writeChildren(tar, root, "");
    tar.finish();
    tar.flush();
    return contentBytes;
  }

  private void writeChildren(TarArchiveOutputStream tar, Path dir, String prefix)
      throws IOException {
    List<String> names = new ArrayList<>();
    try (var list = Files.list(dir)) {
      list.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    for (String name : names) {
      writeEntry(tar, dir.resolve(name), prefix + name);
    }
  }

  private void writeEntry(TarArchiveOutputStream tar, Path file, String name) throws IOException {
    Map<String, Object> a = Files.readAttributes(file,
        "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    int type = mode & S_IFMT;
    long rdev = (Long) a.get("rdev");
    if (type == S_IFCHR && rdev == 0) {
      writeEmpty(tar, whiteoutName(name), a);
      return;
    }
    TarArchiveEntry e = switch (type) {
      case S_IFDIR -> new TarArchiveEntry(name + "/", TarConstants.LF_DIR);
      case S_IFLNK -> link(name, TarConstants.LF_SYMLINK, Files.readSymbolicLink(file).toString());
      case S_IFCHR, S_IFBLK -> device(name, type == S_IFCHR, rdev);
      case S_IFIFO -> new TarArchiveEntry(name, TarConstants.LF_FIFO);
      case S_IFREG -> regular(name, a);
      default -> null; // sockets are not content
    };
    if (e == null) {
      return;
    }
    describe(e, mode, a);
    Map<String, byte[]> xattrs = xattrs(file);
    if (!xattrs.isEmpty()) {
      PaxXattrs.writeHeader(tar, e, xattrs);
    }
    tar.putArchiveEntry(e);
    // only a regular file's first name carries content (isFile() is also true of symlinks)
    if (type == S_IFREG && !e.isLink()) {
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        contentBytes += in.transferTo(tar);
      }
    }
    tar.closeArchiveEntry();
    if (type == S_IFDIR) {
      if (isOpaque(file)) {
        writeEmpty(tar, name + "/" + OPAQUE, a);
      }
      writeChildren(tar, file, name + "/");
    }
  }

  private TarArchiveEntry regular(String name, Map<String, Object> a) {
    if ((Integer) a.get("nlink") > 1) {
      String key = a.get("dev") + ":" + a.get("ino");
      String first = hardlinks.putIfAbsent(key, name);
      if (first != null) {
        return link(name, TarConstants.LF_LINK, first);
      }
    }
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setSize((Long) a.get("size"));
    return e;
  }

  private static TarArchiveEntry link(String name, byte flag, String target) {
    TarArchiveEntry e = new TarArchiveEntry(name, flag);
    e.setLinkName(target);
    return e;
  }

  private static TarArchiveEntry device(String name, boolean character, long rdev) {
    TarArchiveEntry e = new TarArchiveEntry(name, character ? TarConstants.LF_CHR
        : TarConstants.LF_BLK);
    // glibc's gnu_dev_major/minor encoding
    e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
    e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
    return e;
  }

  private void describe(TarArchiveEntry e, int mode, Map<String, Object> a) {
    e.setMode(mode & 07777);
    e.setIds((Integer) a.get("uid"), (Integer) a.get("gid"));
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(mtime((FileTime) a.get("lastModifiedTime")));
  }

  private void writeEmpty(TarArchiveOutputStream tar, String name, Map<String, Object> a)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setMode(0);
    e.setIds(0, 0);
    e.setUserName("");
    e.setGroupName("");
    e.setModTime(mtime((FileTime) a.get("lastModifiedTime")));
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private FileTime mtime(FileTime actual) {
    long seconds = actual.toInstant().getEpochSecond();
    if (clamp != null && seconds > clamp.getEpochSecond()) {
      seconds = clamp.getEpochSecond();
    }
    return FileTime.fromMillis(seconds * 1000);
  }

  private static String whiteoutName(String name) {
    int slash = name.lastIndexOf('/');
    return name.substring(0, slash + 1) + WHITEOUT + name.substring(slash + 1);
  }

  /**
   * The xattrs a layer carries (security.capability above all), sorted; not overlayfs's own
   * bookkeeping, nor the host's SELinux label.
   */
  private static Map<String, byte[]> xattrs(Path file) {
    Map<String, byte[]> out = new java.util.TreeMap<>();
    List<String> names;
    try {
      names = Xattrs.llistxattr(file.toString());
    } catch (LinuxException e) {
      return out; // no xattr support on this file system: nothing to carry
    }
    for (String name : names) {
      if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")
          || name.equals("security.selinux")) {
        continue;
      }
      byte[] v = Xattrs.lgetxattr(file.toString(), name);
      if (v != null) {
        out.put(name, v);
      }
    }
    return out;
  }

  static boolean isOpaque(Path dir) {
    for (String attr : OPAQUE_XATTRS) {
      try {
        byte[] v = Xattrs.lgetxattr(dir.toString(), attr);
        if (v != null && v.length == 1 && v[0] == 'y') {
          return true;
        }
      } catch (LinuxException e) {
        // not set, or xattrs unsupported here: not opaque
      }
    }
    return false;
  }
}
