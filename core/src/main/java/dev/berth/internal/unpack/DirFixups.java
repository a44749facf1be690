package dev.berth.internal.unpack;

import dev.berth.internal.linux.Errno;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Syscalls;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Directory modes and times, applied after everything else: writing a child changes its parent's
 * mtime, and a read-only directory mode would stop a non-root unpacker from writing children.
 * Applied deepest first so a parent's mode never blocks reaching a child.
 */
final class DirFixups {
  private record Pending(int perm, Instant atime, Instant mtime) {}

  private final Map<String, Pending> pending = new HashMap<>();

  /** Records (or, for a later entry of the same directory, replaces) what to apply. */
  void put(String path, EntryMeta meta) {
    pending.put(path, new Pending(meta.perm(), meta.atime(), meta.mtime()));
  }

  void applyAll(InRoot root) {
    List<String> paths = new ArrayList<>(pending.keySet());
    paths.sort((a, b) -> Long.compare(depth(b), depth(a))); // deepest first
    for (String path : paths) {
      int fd = openDirNoFollow(root, path);
      if (fd < 0) {
        continue; // replaced or whited out later in the layer
      }
      try {
        Pending p = pending.get(path);
        Syscalls.fchmod(fd, p.perm(), path);
        Syscalls.futimens(fd, p.atime(), p.mtime(), path);
      } finally {
        Syscalls.closeQuietly(fd);
      }
    }
  }

  private static long depth(String path) {
    return path.isEmpty() ? -1 : path.chars().filter(c -> c == '/').count();
  }

  private static int openDirNoFollow(InRoot root, String path) {
    EntryName name = EntryName.of(path);
    int flags = Fcntl.O_RDONLY | Fcntl.O_DIRECTORY | Fcntl.O_NOFOLLOW | Fcntl.O_CLOEXEC;
    try {
      if (name.isRoot()) {
        return Syscalls.openat(root.rootFd(), ".", flags, 0);
      }
      int parent = root.existingParent(name.parent());
      return parent < 0 ? -1 : Syscalls.openat(parent, name.name(), flags, 0);
    } catch (LinuxException e) {
      if (InRoot.isMissing(e) || e.errno() == Errno.ELOOP) {
        return -1;
      }
      throw e;
    }
  }
}
