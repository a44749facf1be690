package dev.berth.internal.unpack;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tar entry name cleaned lexically, relative to the root: leading {@code /} stripped, {@code .}
 * and empty components dropped, {@code ..} applied. A {@code ..} above the root stays at the root
 * and sets {@link #escaped()}.
 *
 * @param path cleaned components joined by {@code /}; empty for the root itself
 * @param escaped whether some {@code ..} tried to go above the root
 */
record EntryName(String path, boolean escaped) {

  static EntryName of(String raw) {
    Deque<String> parts = new ArrayDeque<>();
    boolean escaped = false;
    for (String part : raw.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        escaped |= parts.pollLast() == null;
      } else {
        parts.addLast(part);
      }
    }
    return new EntryName(String.join("/", parts), escaped);
  }

  boolean isRoot() {
    return path.isEmpty();
  }

  /** @return the cleaned parent path, empty for a top-level name or the root */
  String parent() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** @return the last component, empty for the root */
  String name() {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** @return a sibling of this name in the same parent directory */
  EntryName sibling(String name) {
    String parent = parent();
    return new EntryName(parent.isEmpty() ? name : parent + "/" + name, false);
  }
}
