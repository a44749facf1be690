package dev.berth.internal.unpack;

import dev.berth.BerthException;
import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Stat;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.linux.Xattrs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In {@link UnpackMode#OVERLAY}, brings the target of a hardlink that only a lower layer holds
 * into the layer being unpacked, so that the link can share its inode there (what containerd and
 * podman do): the target, and the directories above it that this layer lacks, are copied with
 * their content, mode, owner, times and xattrs from the topmost layer that has them, as
 * overlayfs's own copy-up would. Both names then are one inode of this layer, as in the image.
 *
 * <p>The target is looked up as the merged view would see it, layer by layer from this one down,
 * one component at a time with {@code O_NOFOLLOW} relative to each layer's own directory: a
 * whiteout, an opaque directory or a non-directory above it in some layer means that layer deleted
 * it (refused, naming that layer). A parent that is a symlink where the merged view shows it is
 * read, not followed: its target is joined to the rest of the name and cleaned lexically as if
 * the root were {@code /} ({@code ..} stops at the root, as {@code RESOLVE_IN_ROOT} does in
 * FLATTEN mode), and the lookup starts again from this layer with that name, so no lookup ever
 * leaves the layer directories. The target itself, whatever its type, is copied as it is, so a
 * symlink is copied as a symlink, never followed (as linkat without {@code AT_SYMLINK_FOLLOW}
 * would link it).
 */
final class CopyUp {
  private static final int DIR_PATH = Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
  private static final int READ_DIR = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
  private static final int READ_FILE = Fcntl.O_RDONLY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
  private static final int CREATE_FILE =
      Fcntl.O_WRONLY | Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;

  private final InRoot root;
  private final UnpackOptions options;
  private final String layer;
  private final LowerLayers lowers;
  private final MetadataWriter metadata;
  private final DirFixups dirs;
  private final Notes notes;
  private List<LowerLayers.Layer> below;
  private long bytes;

  CopyUp(InRoot root, UnpackOptions options, String layer, LowerLayers lowers,
      MetadataWriter metadata, DirFixups dirs, Notes notes) {
    this.root = root;
    this.options = options;
    this.layer = layer;
    this.lowers = lowers;
    this.metadata = metadata;
    this.dirs = dirs;
    this.notes = notes;
  }

  /** @return bytes of file content copied up so far */
  long bytes() {
    return bytes;
  }

  /** What the lookup of one hardlink's target is about, for messages. */
  private record Link(String name, String rawTarget, EntryName target) {}

  /**
   * Finds {@code target} in this layer or, failing that, in the layers below, copying it up.
   *
   * @param linkName the hardlink's name as the archive has it
   * @param rawTarget the target's name as the archive has it
   * @return an owned {@code O_PATH} fd of the directory of this layer that holds the target
   * @throws BerthException when no layer has the target, a layer deleted it, it is a directory,
   *     or its parents hold a symlink that a directory above hides, or more than 40 symlinks
   */
  int targetDir(String linkName, String rawTarget, EntryName target) {
    Link link = new Link(linkName, rawTarget, target);
    EntryName path = target;
    for (int links = 0; links <= PathResolver.MAX_SYMLINKS; links++) {
      Lookup found = lookup(link, path);
      if (found.redirect() == null) {
        return found.dir();
      }
      path = found.redirect();
    }
    throw new BerthException(start(link) + ", whose parents hold more than "
        + PathResolver.MAX_SYMLINKS + " symlinks in a row; the layer is refused: it is malformed");
  }

  /**
   * Where one lookup of the target ended.
   *
   * @param dir an owned {@code O_PATH} fd of the directory of this layer that holds the target
   * @param redirect else: the path to look up instead, a parent having been a symlink
   */
  private record Lookup(int dir, EntryName redirect) {}

  private Lookup lookup(Link link, EntryName target) {
    String[] parts = target.path().split("/");
    List<Integer> fds = new ArrayList<>();
    try {
      // The topmost directory seen at each ancestor path: what the merged view shows there.
      int[] ancestors = new int[parts.length - 1];
      Arrays.fill(ancestors, -1);
      LowerLayers.Owners[] ancestorOwners = new LowerLayers.Owners[parts.length - 1];
      int thisLayer = track(fds, Syscalls.openat(root.rootFd(), ".", DIR_PATH, 0));
      Found here = look(link, parts, thisLayer, layer, LowerLayers.Owners.ON_FILES, ancestors,
          ancestorOwners, fds);
      if (here.redirect() != null) {
        return new Lookup(-1, here.redirect());
      }
      if (here.stat() != null) {
        return new Lookup(Syscalls.openat(here.dir(), ".", DIR_PATH, 0), null);
      }
      if (here.hiddenBelow() != null) {
        throw deleted(link, layer, "the opaque directory '" + here.hiddenBelow() + "'");
      }
      for (LowerLayers.Layer lower : lowerLayers()) {
        Found found = look(link, parts, track(fds, openLayer(lower)), lower.name(), lower.owners(),
            ancestors, ancestorOwners, fds);
        if (found.redirect() != null) {
          return new Lookup(-1, found.redirect());
        }
        if (found.stat() != null) {
          return new Lookup(copy(target, parts, ancestors, ancestorOwners, here.depth(),
              found.dir(), found.stat(), lower), null);
        }
        if (found.hiddenBelow() != null) {
          throw deleted(link, lower.name(), "the opaque directory '" + found.hiddenBelow() + "'");
        }
      }
      int n = lowerLayers().size();
      throw new BerthException(start(link) + ", which is not in the layer "
          + (n == 0 ? "and no layer is below it" : "nor in the " + n + " layer(s) below it")
          + (target.equals(link.target()) ? "" : " (looked up as '" + target.path() + "')")
          + "; the layer is malformed or its lower layers are missing");
    } finally {
      fds.forEach(Syscalls::closeQuietly);
    }
  }

  /**
   * What one layer has at the target's path.
   *
   * @param depth how many of the target's parents the layer has, as directories
   * @param dir when all of them: the (borrowed) fd of the last, else -1
   * @param stat the target, when the layer has it, else null
   * @param hiddenBelow the opaque directory that hides the target's path in the layers below
   * @param redirect when a parent is a symlink the merged view shows: the path it leads to
   */
  private record Found(int depth, int dir, Stat stat, String hiddenBelow, EntryName redirect) {
    Found(int depth, int dir, Stat stat, String hiddenBelow) {
      this(depth, dir, stat, hiddenBelow, null);
    }
  }

  /**
   * Walks the target's path in one layer, recording the directories it has in {@code ancestors}
   * where no layer above had them.
   *
   * @throws BerthException when the layer deleted the target or a parent of it, a parent is a
   *     symlink, or the target is a directory
   */
  private Found look(Link link, String[] parts, int layerFd, String name, LowerLayers.Owners owners,
      int[] ancestors, LowerLayers.Owners[] ancestorOwners, List<Integer> fds) {
    int fd = layerFd;
    String hiddenBelow = isOpaque(fd) ? "/" : null;
    for (int depth = 0; depth < parts.length - 1; depth++) {
      Stat st = statOrNull(fd, parts[depth]);
      if (st == null) {
        return new Found(depth, -1, null, hiddenBelow);
      }
      String prefix = prefix(parts, depth);
      if (isWhiteout(st)) {
        throw deleted(link, name, "a whiteout of '" + prefix + "'");
      }
      if (st.isSymlink()) {
        if (ancestors[depth] >= 0) {
          // a directory above hides it (overlayfs merges directories only with directories)
          throw new BerthException(start(link) + ", and its parent '" + prefix + "' is a directory"
              + " in a layer above but a symlink in layer " + name + "; the layer is refused:"
              + " the image must name the target by the path it has in the layer that holds it");
        }
        // What the merged view shows there: follow it as if the root were '/', as FLATTEN does.
        String to = Syscalls.readlinkat(fd, parts[depth]);
        String from = to.startsWith("/") ? "" : EntryName.of(prefix).parent();
        String rest = String.join("/", Arrays.copyOfRange(parts, depth + 1, parts.length));
        return new Found(depth, -1, null, null, EntryName.of(from + "/" + to + "/" + rest));
      }
      if (!st.isDirectory()) {
        throw deleted(link, name, "'" + prefix + "' replaced by a non-directory");
      }
      fd = track(fds, Syscalls.openat(fd, parts[depth], DIR_PATH, 0));
      if (ancestors[depth] < 0) {
        ancestors[depth] = fd;
        ancestorOwners[depth] = owners;
      }
      if (isOpaque(fd)) {
        hiddenBelow = prefix;
      }
    }
    Stat st = statOrNull(fd, parts[parts.length - 1]);
    if (st != null && isWhiteout(st)) {
      throw deleted(link, name, "a whiteout of '" + String.join("/", parts) + "'");
    }
    if (st != null && st.isDirectory()) {
      throw new BerthException(start(link) + ", a directory in layer " + name + "; a hardlink"
          + " cannot name a directory: the layer is malformed");
    }
    return new Found(parts.length - 1, fd, st, hiddenBelow);
  }

  private List<LowerLayers.Layer> lowerLayers() {
    if (below == null) {
      below = List.copyOf(lowers.topFirst());
    }
    return below;
  }

  private static int openLayer(LowerLayers.Layer l) {
    try {
      return Syscalls.openat(Fcntl.AT_FDCWD, l.dir().toAbsolutePath().toString(),
          Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
    } catch (LinuxException e) {
      throw new BerthException("cannot open the directory of layer " + l.name() + " at " + l.dir()
          + ": " + e.getMessage() + "; the store is damaged: remove the image and pull it again", e);
    }
  }

  /**
   * Creates the ancestors this layer lacks, then the target, from layer {@code from}.
   *
   * @return an owned {@code O_PATH} fd of the target's directory in this layer
   */
  private int copy(EntryName target, String[] parts, int[] ancestors,
      LowerLayers.Owners[] ancestorOwners, int presentHere, int fromDir, Stat st,
      LowerLayers.Layer from) {
    int dir = Syscalls.openat(root.rootFd(), ".", DIR_PATH, 0);
    try {
      for (int depth = 0; depth < parts.length - 1; depth++) {
        if (depth >= presentHere) {
          makeDir(dir, parts[depth], prefix(parts, depth), ancestors[depth], ancestorOwners[depth]);
        }
        int next = Syscalls.openat(dir, parts[depth], DIR_PATH, 0);
        Syscalls.closeQuietly(dir);
        dir = next;
      }
      String name = parts[parts.length - 1];
      String path = target.path();
      EntryMeta meta = meta(st, "/proc/self/fd/" + fromDir + "/" + name, from.owners().of(path));
      switch (st.type()) {
        case Fcntl.S_IFREG -> copyFile(fromDir, dir, name, meta, path);
        case Fcntl.S_IFLNK -> {
          Syscalls.symlinkat(Syscalls.readlinkat(fromDir, name), dir, name);
          metadata.applyAt(dir, name, meta, path, true);
        }
        case Fcntl.S_IFCHR, Fcntl.S_IFBLK, Fcntl.S_IFIFO -> {
          Syscalls.mknodat(dir, name, st.type() | 0600, st.rdevMajor(), st.rdevMinor());
          metadata.applyAt(dir, name, meta, path, false);
        }
        default -> throw new BerthException("layer " + layer + ": the hardlink target '" + path
            + "' is, in layer " + from.name() + ", a file of a type a layer cannot hold (mode "
            + Integer.toOctalString(st.mode()) + "); the layer is malformed");
      }
      notes.add("hardlink target copied up from a lower layer", path);
      return dir;
    } catch (RuntimeException e) {
      Syscalls.closeQuietly(dir);
      throw e;
    }
  }

  private void makeDir(int parent, String name, String path, int source, LowerLayers.Owners owners) {
    EntryMeta meta = meta(Syscalls.statx(source, "", Fcntl.AT_EMPTY_PATH), "/proc/self/fd/" + source + "/.",
        owners.of(path));
    Syscalls.mkdirat(parent, name, 0700); // the real mode comes at the end, as for the layer's own
    int fd = Syscalls.openat(parent, name, READ_DIR, 0);
    try {
      metadata.applyByFd(fd, meta, path, false);
    } finally {
      Syscalls.closeQuietly(fd);
    }
    dirs.put(path, meta);
  }

  private void copyFile(int fromDir, int dir, String name, EntryMeta meta, String path) {
    int in = Syscalls.openat(fromDir, name, READ_FILE, 0);
    int out = -1;
    try {
      out = Syscalls.openat(dir, name, CREATE_FILE, 0600);
      // Reopening through /proc/self/fd gives the very file the fd holds: no path is walked.
      try (FileChannel from = FileChannel.open(fdPath(in), StandardOpenOption.READ);
          FileChannel to = FileChannel.open(fdPath(out), StandardOpenOption.WRITE)) {
        long size = from.size();
        for (long done = 0; done < size; ) {
          done += from.transferTo(done, size - done, to);
        }
        bytes += size;
      } catch (IOException e) {
        throw new BerthException("layer " + layer + ": cannot copy up '" + path + "' from a lower"
            + " layer: " + e.getMessage(), e);
      }
      metadata.applyByFd(out, meta, path, true);
    } finally {
      Syscalls.closeQuietly(in);
      Syscalls.closeQuietly(out);
    }
  }

  /**
   * The metadata of a file in a lower layer, as it is on disk there (ids already mapped).
   *
   * @param owner {uid, gid} the layer keeps beside the file, or null
   */
  private static EntryMeta meta(Stat st, String procPath, int[] owner) {
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (String name : listXattrs(procPath)) {
      // the lower layer's own overlay markers (opaque) say nothing about this layer
      if (name.startsWith("trusted.overlay.") || name.startsWith("user.overlay.")) {
        continue;
      }
      byte[] value = Xattrs.lgetxattr(procPath, name);
      if (value != null) {
        xattrs.put(name, value);
      }
    }
    return new EntryMeta(owner == null ? st.uid() : owner[0], owner == null ? st.gid() : owner[1],
        st.mode() & 07777, st.atime(), st.mtime(), xattrs);
  }

  private static List<String> listXattrs(String procPath) {
    try {
      return Xattrs.llistxattr(procPath);
    } catch (LinuxException e) {
      if (e.errno() == Errno.EOPNOTSUPP) {
        return List.of();
      }
      throw e;
    }
  }

  private boolean isOpaque(int dirFd) {
    String name = (options.userXattrs() ? "user" : "trusted") + ".overlay.opaque";
    try {
      byte[] value = Xattrs.lgetxattr("/proc/self/fd/" + dirFd + "/.", name);
      return value != null && value.length == 1 && value[0] == 'y';
    } catch (LinuxException e) {
      if (e.errno() == Errno.EOPNOTSUPP) {
        return false;
      }
      throw e;
    }
  }

  private static boolean isWhiteout(Stat st) {
    return st.type() == Fcntl.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0;
  }

  private static Stat statOrNull(int dirFd, String name) {
    try {
      return Syscalls.statx(dirFd, name, Fcntl.AT_SYMLINK_NOFOLLOW);
    } catch (LinuxException e) {
      if (e.errno() == Errno.ENOENT) {
        return null;
      }
      throw e;
    }
  }

  private String start(Link link) {
    return "layer " + layer + ": hardlink '" + link.name() + "' points to '" + link.rawTarget() + "'";
  }

  private BerthException deleted(Link link, String by, String how) {
    String who = by.equals(layer) ? "this same layer" : "layer " + by + " below it";
    return new BerthException(start(link) + ", which " + who + " deleted (" + how + "); a hardlink"
        + " cannot bring a deleted file back, so the layer is refused: the image is malformed");
  }

  private static String prefix(String[] parts, int depth) {
    return String.join("/", Arrays.copyOf(parts, depth + 1));
  }

  private static int track(List<Integer> fds, int fd) {
    fds.add(fd);
    return fd;
  }

  private static Path fdPath(int fd) {
    return Path.of("/proc/self/fd/" + fd);
  }
}
