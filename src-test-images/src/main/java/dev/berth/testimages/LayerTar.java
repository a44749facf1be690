package dev.berth.testimages;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer directory as an OCI layer tar: entries sorted by name, overlayfs whiteouts (char
 * device 0/0, {@code user.overlay.opaque}) turned into {@code .wh.} files, hard links kept.
 * Authored layers get fixed times, root ownership and normalised modes so they are reproducible;
 * captured layers keep what is on disk.
 */
final class LayerTar {
  /** The time of every authored entry and of the images' {@code created}. */
  static final Instant FIXED_TIME = Instant.parse("2024-01-01T00:00:00Z");

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;
  private static final String ATTRS = "unix:mode,uid,gid,rdev,dev,ino,nlink,size,lastModifiedTime";
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private final boolean authored;
  private final List<Path> below;
  private final Map<String, RecipeFile.DirSpec> dirs = new HashMap<>();
  private final Map<String, String> firstPathOfInode = new HashMap<>();

  /**
   * @param authored normalise owners, modes and times
   * @param dirSpecs directories whose mode and owner an authored layer takes from the recipe
   * @param below the layer directories underneath: an opaque marker is written only where it
   *     hides something (overlayfs also marks directories it newly creates as opaque)
   */
  LayerTar(boolean authored, List<RecipeFile.DirSpec> dirSpecs, List<Path> below) {
    this.authored = authored;
    this.below = List.copyOf(below);
    dirSpecs.forEach(d -> dirs.put(d.path().replaceAll("^/+|/+$", ""), d));
  }

  /** Writes the tree under {@code root} to {@code out}, leaving {@code out} open. */
  void write(Path root, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    writeChildren(root, "", tar);
    tar.finish();
  }

  private void writeChildren(Path dir, String prefix, TarArchiveOutputStream tar)
      throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    }
    for (Path child : children) {
      writeEntry(child, prefix + child.getFileName(), tar);
    }
  }

  private void writeEntry(Path file, String rel, TarArchiveOutputStream tar) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, ATTRS, NOFOLLOW);
    int mode = (Integer) a.get("mode");
    switch (mode & S_IFMT) {
      case S_IFDIR -> {
        put(tar, entry(rel + "/", TarConstants.LF_DIR, a), null);
        if (isOpaque(file) && below.stream().anyMatch(b -> Files.isDirectory(b.resolve(rel)))) {
          put(tar, whiteout(rel + "/.wh..wh..opq"), null);
        }
        writeChildren(file, rel + "/", tar);
      }
      case S_IFREG -> writeRegular(file, rel, a, tar);
      case S_IFLNK -> {
        TarArchiveEntry e = entry(rel, TarConstants.LF_SYMLINK, a);
        e.setLinkName(Files.readSymbolicLink(file).toString());
        put(tar, e, null);
      }
      case S_IFCHR -> put(tar, (Long) a.get("rdev") == 0 ? whiteoutFor(rel) : device(rel, a,
          TarConstants.LF_CHR), null);
      case S_IFBLK -> put(tar, device(rel, a, TarConstants.LF_BLK), null);
      case S_IFIFO -> put(tar, entry(rel, TarConstants.LF_FIFO, a), null);
      default -> { } // sockets do not belong in images
    }
  }

  private void writeRegular(Path file, String rel, Map<String, Object> a,
      TarArchiveOutputStream tar) throws IOException {
    if ((Integer) a.get("nlink") > 1) {
      String inode = a.get("dev") + ":" + a.get("ino");
      String first = firstPathOfInode.putIfAbsent(inode, rel);
      if (first != null) {
        TarArchiveEntry link = entry(rel, TarConstants.LF_LINK, a);
        link.setLinkName(first);
        put(tar, link, null);
        return;
      }
    }
    TarArchiveEntry e = entry(rel, TarConstants.LF_NORMAL, a);
    e.setSize((Long) a.get("size"));
    put(tar, e, file);
  }

  private TarArchiveEntry entry(String name, byte type, Map<String, Object> a) {
    TarArchiveEntry e = new TarArchiveEntry(name, type);
    int mode = (Integer) a.get("mode");
    e.setMode((mode & S_IFMT) | (authored ? authoredPermissions(name, mode) : mode & 07777));
    RecipeFile.DirSpec spec = authored ? dirs.get(name.replaceAll("/+$", "")) : null;
    long uid = authored ? 0 : (Integer) a.get("uid");
    long gid = authored ? 0 : (Integer) a.get("gid");
    if (spec != null) {
      uid = Long.parseLong(spec.owner().split(":")[0]);
      gid = Long.parseLong(spec.owner().split(":")[1]);
    }
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName("");
    e.setGroupName("");
    FileTime time = authored ? FileTime.from(FIXED_TIME) : (FileTime) a.get("lastModifiedTime");
    // whole seconds: sub-second times would add a PAX header to every entry
    e.setLastModifiedTime(FileTime.from(time.to(TimeUnit.SECONDS), TimeUnit.SECONDS));
    return e;
  }

  /** Modes independent of umask and checkout: 755 dirs, 777 links, 644 or 755 files. */
  private int authoredPermissions(String name, int mode) {
    RecipeFile.DirSpec spec = dirs.get(name.replaceAll("/+$", ""));
    if (spec != null) {
      return Integer.parseInt(spec.mode(), 8);
    }
    return switch (mode & S_IFMT) {
      case S_IFDIR -> 0755;
      case S_IFLNK -> 0777;
      default -> (mode & 0100) != 0 ? 0755 : 0644;
    };
  }

  private TarArchiveEntry device(String rel, Map<String, Object> a, byte type) {
    long rdev = (Long) a.get("rdev");
    TarArchiveEntry e = entry(rel, type, a);
    // glibc's gnu_dev_major / gnu_dev_minor
    e.setDevMajor((int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL)));
    e.setDevMinor((int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL)));
    return e;
  }

  private TarArchiveEntry whiteoutFor(String rel) {
    int slash = rel.lastIndexOf('/');
    return whiteout(rel.substring(0, slash + 1) + ".wh." + rel.substring(slash + 1));
  }

  private static TarArchiveEntry whiteout(String name) {
    TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL);
    e.setMode(S_IFREG);
    e.setUserName("");
    e.setGroupName("");
    e.setLastModifiedTime(FileTime.from(FIXED_TIME));
    return e;
  }

  /** Overlayfs mounted with {@code userxattr} marks opaque directories with user.overlay.opaque. */
  private static boolean isOpaque(Path dir) {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class, NOFOLLOW);
    try {
      if (view == null || !view.list().contains("overlay.opaque")) {
        return false;
      }
      ByteBuffer value = ByteBuffer.allocate(view.size("overlay.opaque"));
      view.read("overlay.opaque", value);
      return new String(value.array(), 0, value.position(), StandardCharsets.UTF_8).equals("y");
    } catch (IOException | UnsupportedOperationException e) {
      return false; // no user xattrs on this file system: nothing can be opaque
    }
  }

  private static void put(TarArchiveOutputStream tar, TarArchiveEntry e, Path content)
      throws IOException {
    tar.putArchiveEntry(e);
    if (content != null) {
      Files.copy(content, tar);
    }
    tar.closeArchiveEntry();
  }
}
