package dev.berth.testsupport;

import dev.berth.internal.linux.Xattrs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two directory trees as a container would see them: names, types, permission bits,
 * owners, symlink targets, file contents, device numbers, xattrs, which paths share an inode, and
 * optionally mtimes. Symlinks are never followed.
 *
 * <pre>{@code
 * TreeDiff.between(umociRootfs, berthDir).ignoringXattrPrefix("security.selinux").assertSame();
 * }</pre>
 */
public final class TreeDiff {
  /**
   * One path's state.
   *
   * @param type {@code dir}, {@code file}, {@code symlink}, {@code fifo}, {@code char}, {@code
   *     block} or {@code socket}
   * @param perm permission bits with setuid, setgid and sticky
   * @param uid owner
   * @param gid group
   * @param target symlink target, file content sha256, or {@code major:minor} for devices
   * @param xattrs xattr names to hex values
   * @param hardlinkGroup for files with more than one link, the first path (sorted) with the
   *     same inode; otherwise null
   * @param mtime modification time
   */
  public record Node(String type, int perm, int uid, int gid, String target, Map<String, String> xattrs,
      String hardlinkGroup, FileTime mtime) {}

  private final Path expected;
  private final Path actual;
  private final boolean mtimes;
  private final boolean root;
  private final Set<String> ignoredXattrPrefixes;

  private TreeDiff(Path expected, Path actual, boolean mtimes, boolean root, Set<String> ignoredXattrPrefixes) {
    this.expected = expected;
    this.actual = actual;
    this.mtimes = mtimes;
    this.root = root;
    this.ignoredXattrPrefixes = Set.copyOf(ignoredXattrPrefixes);
  }

  /** @return a comparison of everything but mtimes, including the roots' own metadata */
  public static TreeDiff between(Path expected, Path actual) {
    return new TreeDiff(expected, actual, false, true, Set.of());
  }

  /** @return this comparison also comparing mtimes of everything but directories */
  public TreeDiff withMtimes() {
    return new TreeDiff(expected, actual, true, root, ignoredXattrPrefixes);
  }

  /** @return this comparison without the two root directories' own metadata */
  public TreeDiff ignoringRoot() {
    return new TreeDiff(expected, actual, mtimes, false, ignoredXattrPrefixes);
  }

  /** @return this comparison without xattrs whose name starts with {@code prefix} */
  public TreeDiff ignoringXattrPrefix(String prefix) {
    Set<String> prefixes = new TreeSet<>(ignoredXattrPrefixes);
    prefixes.add(prefix);
    return new TreeDiff(expected, actual, mtimes, root, prefixes);
  }

  /** @return one line per difference, empty when the trees are the same */
  public List<String> differences() {
    SortedMap<String, Node> a = snapshot(expected);
    SortedMap<String, Node> b = snapshot(actual);
    Set<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      if (!root && path.equals(".")) {
        continue;
      }
      Node x = normalise(a.get(path));
      Node y = normalise(b.get(path));
      if (x == null || y == null) {
        out.add(path + ": " + (x == null ? "only in " + actual : "only in " + expected));
      } else if (!x.equals(y)) {
        out.add(path + ": expected " + x + " but was " + y);
      }
    }
    return out;
  }

  /** @throws AssertionError listing the differences, if any */
  public void assertSame() {
    List<String> diffs = differences();
    if (!diffs.isEmpty()) {
      throw new AssertionError("trees differ (" + expected + " vs " + actual + "):\n  "
          + String.join("\n  ", diffs));
    }
  }

  /** @return every path under {@code dir} ("." for itself), relative, with its state */
  public static SortedMap<String, Node> snapshot(Path dir) {
    SortedMap<String, Node> nodes = new TreeMap<>();
    Map<String, Object> inodeOf = new HashMap<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path p, BasicFileAttributes attrs) throws IOException {
          add(dir, p, nodes, inodeOf);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
          add(dir, p, nodes, inodeOf);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    nameHardlinkGroups(nodes, inodeOf);
    return nodes;
  }

  /** Names each group of paths sharing an inode by its first path in sorted order. */
  private static void nameHardlinkGroups(SortedMap<String, Node> nodes, Map<String, Object> inodeOf) {
    Map<Object, String> first = new HashMap<>();
    nodes.keySet().stream().filter(inodeOf::containsKey).forEach(p -> first.putIfAbsent(inodeOf.get(p), p));
    inodeOf.forEach((path, inode) -> {
      Node n = nodes.get(path);
      nodes.put(path, new Node(n.type(), n.perm(), n.uid(), n.gid(), n.target(), n.xattrs(), first.get(inode),
          n.mtime()));
    });
  }

  private Node normalise(Node n) {
    if (n == null) {
      return null;
    }
    Map<String, String> xattrs = new TreeMap<>(n.xattrs());
    xattrs.keySet().removeIf(name -> ignoredXattrPrefixes.stream().anyMatch(name::startsWith));
    boolean keepMtime = mtimes && !n.type().equals("dir");
    return new Node(n.type(), n.perm(), n.uid(), n.gid(), n.target(), xattrs, n.hardlinkGroup(),
        keepMtime ? n.mtime() : null);
  }

  private static void add(Path dir, Path p, Map<String, Node> nodes, Map<String, Object> inodeOf)
      throws IOException {
    String rel = dir.equals(p) ? "." : dir.relativize(p).toString();
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    String type = type(mode);
    if (type.equals("file") && (Integer) a.get("nlink") > 1) {
      inodeOf.put(rel, List.of(a.get("dev"), a.get("ino")));
    }
    nodes.put(rel, new Node(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
        target(p, type, (Long) a.get("rdev")), xattrs(p), null, (FileTime) a.get("lastModifiedTime")));
  }

  private static String type(int mode) {
    switch (mode & 0170000) {
      case 0040000: return "dir";
      case 0100000: return "file";
      case 0120000: return "symlink";
      case 0010000: return "fifo";
      case 0020000: return "char";
      case 0060000: return "block";
      default: return "socket";
    }
  }

  private static String target(Path p, String type, long rdev) throws IOException {
    switch (type) {
      case "symlink":
        return Files.readSymbolicLink(p).toString();
      case "file":
        return sha256(p);
      case "char":
      case "block":
        long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
        return major + ":" + minor;
      default:
        return "";
    }
  }

  private static Map<String, String> xattrs(Path p) {
    Map<String, String> xattrs = new TreeMap<>();
    for (String name : Xattrs.llistxattr(p.toString())) {
      byte[] value = Xattrs.lgetxattr(p.toString(), name);
      xattrs.put(name, value == null ? "" : HexFormat.of().formatHex(value));
    }
    return xattrs;
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
