package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.HelperJobs;
import dev.berth.internal.runtime.LayerView;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code copy} root file system: the image's overlay-format layer dirs merged into one
 * directory, bottom layer first, with overlay's rules (a 0/0 character device deletes what it
 * names, an opaque directory hides what the layers below put in it). For hosts where an
 * unprivileged user cannot mount overlay. Owners are kept where this process may set them;
 * rootless with subordinate ids, the layers' files are all the user's (so the user can read
 * them) with their real owners in each layer's owners file, and the copy's owners are set by
 * the helper's chown job.
 */
final class RootfsCopy {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Path dest;
  private final HelperJobs jobs;
  private final int myUid = Syscalls.geteuid();
  private final int myGid = Syscalls.getegid();
  /** Owners still to set, by path: a later layer replacing a path replaces its entry. */
  private final Map<String, HelperJobs.Chown> owners = new LinkedHashMap<>();
  /** Directories' real modes and times, applied last (a 0555 directory must take its children first). */
  private final Map<Path, BasicFileAttributes> dirs = new LinkedHashMap<>();
  private final Map<Path, Integer> dirModes = new LinkedHashMap<>();

  /** The layer being copied: its files and its owners file (which may not exist). */
  record Layer(Path files, Path owners) {}

  /** The owners file of the layer being copied, by path. */
  private Map<String, HelperJobs.Chown> layerOwners = Map.of();

  private RootfsCopy(Path dest, HelperJobs jobs) {
    this.dest = dest;
    this.jobs = jobs;
  }

  /**
   * @param layersBottomFirst overlay-format layer dirs, the base layer first
   * @param dest an empty directory
   * @param jobs the helper's jobs (rootless with subordinate ids), or null
   */
  static void copy(List<Layer> layersBottomFirst, Path dest, HelperJobs jobs) {
    copy(layersBottomFirst, "", dest, jobs);
  }

  /**
   * Copies only what the merged layers have at {@code subtree} (relative; empty for all) into
   * {@code dest}, which takes the subtree's own owner and mode: a new volume filled from its
   * image. A layer where a directory on the way is a symlink adds nothing (a symlink is never
   * followed out of the layers); one where it is anything but a directory clears what lower
   * layers gave.
   */
  static void copy(List<Layer> layersBottomFirst, String subtree, Path dest, HelperJobs jobs) {
    RootfsCopy c = new RootfsCopy(dest, jobs);
    try {
      for (Layer layer : layersBottomFirst) {
        Path start = layer.files().resolve(subtree);
        if (!subtree.isEmpty() && !c.reachable(layer.files(), start)) {
          continue;
        }
        c.layerOwners = LayerOwners.read(layer.owners());
        Files.walkFileTree(start, c.visitor(layer.files(), start));
      }
      c.finish();
    } catch (IOException e) {
      throw new BerthException("cannot copy the image's layers into " + dest + ": " + e, e);
    }
  }

  /**
   * @return whether start is a directory reached from the layer's root through directories
   *     alone; a whiteout or file on the way (or at start) removes what lower layers gave
   */
  private boolean reachable(Path layerRoot, Path start) throws IOException {
    for (Path p = layerRoot; ; ) {
      if (Files.isSymbolicLink(p)) {
        return false;
      }
      if (!Files.exists(p, NOFOLLOW)) {
        return false; // this layer has nothing there
      }
      if (!Files.isDirectory(p, NOFOLLOW)) {
        for (Path child : list(dest)) {
          remove(child); // a whiteout or a file hides the lower layers' tree
        }
        return false;
      }
      if (p.equals(start)) {
        return true;
      }
      p = p.resolve(start.getName(p.getNameCount()).toString());
    }
  }

  private SimpleFileVisitor<Path> visitor(Path layer, Path start) {
    return new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Path to = dest.resolve(start.relativize(dir).toString());
        if (!dir.equals(start) && !Files.isDirectory(to, NOFOLLOW)) {
          remove(to);
          Files.createDirectory(to);
        } else if (!dir.equals(layer) && LayerView.isOpaque(dir)) {
          for (Path child : list(to)) {
            remove(child);
          }
        }
        Files.setAttribute(to, "unix:mode", 0700);
        dirs.put(to, attrs);
        dirModes.put(to, mode(dir));
        own(dir, layer.relativize(dir).toString(), to);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Path to = dest.resolve(start.relativize(file).toString());
        int mode = mode(file);
        remove(to);
        if ((mode & Fcntl.S_IFMT) == Fcntl.S_IFCHR && ((Number) Files.getAttribute(file, "unix:rdev", NOFOLLOW)).longValue() == 0) {
          return FileVisitResult.CONTINUE; // a whiteout: the removal was the point
        }
        if (attrs.isSymbolicLink()) {
          Files.createSymbolicLink(to, Files.readSymbolicLink(file));
        } else if (attrs.isRegularFile()) {
          Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(to, "unix:mode", mode & 07777); // with setuid/setgid, which copy drops
        } else {
          return FileVisitResult.CONTINUE; // fifos and devices: unprivileged unpacking skipped them too
        }
        own(file, layer.relativize(file).toString(), to);
        return FileVisitResult.CONTINUE;
      }
    };
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW);
  }

  /**
   * Sets the source's owner (from the layer's owners file, else its own) when allowed, else lists
   * it for the helper (or, single id, leaves it ours).
   */
  private void own(Path src, String inLayer, Path to) throws IOException {
    HelperJobs.Chown listed = layerOwners.get(inLayer.isEmpty() ? "." : inLayer);
    int uid = listed != null ? listed.uid() : (Integer) Files.getAttribute(src, "unix:uid", NOFOLLOW);
    int gid = listed != null ? listed.gid() : (Integer) Files.getAttribute(src, "unix:gid", NOFOLLOW);
    String rel = dest.relativize(to).toString();
    owners.remove(rel.isEmpty() ? "." : rel);
    if (uid == myUid && gid == myGid) {
      return;
    }
    try {
      Files.setAttribute(to, "unix:uid", uid, NOFOLLOW);
      Files.setAttribute(to, "unix:gid", gid, NOFOLLOW);
    } catch (FileSystemException e) {
      if (jobs != null) {
        owners.put(rel.isEmpty() ? "." : rel, new HelperJobs.Chown(rel.isEmpty() ? "." : rel, uid, gid));
      }
    }
  }

  private void remove(Path p) throws IOException {
    if (!Files.exists(p, NOFOLLOW)) {
      return;
    }
    String rel = dest.relativize(p).toString();
    owners.keySet().removeIf(k -> k.equals(rel) || k.startsWith(rel + "/"));
    dirs.keySet().removeIf(d -> d.startsWith(p));
    dirModes.keySet().removeIf(d -> d.startsWith(p));
    if (Files.isDirectory(p, NOFOLLOW)) {
      for (Path child : list(p)) {
        remove(child);
      }
    }
    Files.delete(p);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return new ArrayList<>(s.toList());
    }
  }

  /** Directory modes and times deepest first (setting a child's time touches no parent), then owners. */
  private void finish() throws IOException {
    List<Path> order = new ArrayList<>(dirs.keySet());
    order.sort((a, b) -> b.getNameCount() - a.getNameCount());
    for (Path d : order) {
      Files.setAttribute(d, "unix:mode", dirModes.get(d) & 07777);
      FileTime m = dirs.get(d).lastModifiedTime();
      Files.getFileAttributeView(d, java.nio.file.attribute.BasicFileAttributeView.class).setTimes(m, dirs.get(d).lastAccessTime(), null);
    }
    if (jobs != null) {
      jobs.chown(dest, List.copyOf(owners.values()));
    }
  }
}
