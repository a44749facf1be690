package dev.berth.internal.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.berth.internal.linux.LinuxException;
import dev.berth.internal.linux.Xattrs;

/**
 * Reads a file as the merged view of stacked overlay-format layer dirs would show it, without
 * mounting: the top-most layer that has the path wins, and a whiteout (a 0/0 character device)
 * or an opaque parent hides everything below. Used to read the image's /etc/passwd before the
 * container exists. Symlinks along the path are not followed (passwd and group never are).
 */
public final class LayerView {
  private LayerView() {}

  /**
   * @param layersTopFirst layer dirs, top-most first (overlay's lowerdir order)
   * @param path an absolute path inside the image, e.g. {@code /etc/passwd}
   * @return the file's contents, or empty when no layer has it or it is whited out
   */
  public static Optional<String> readFile(List<Path> layersTopFirst, String path) {
    String rel = path.replaceFirst("^/+", "");
    for (Path layer : layersTopFirst) {
      Path p = layer.resolve(rel);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        try {
          return Optional.of(Files.readString(p));
        } catch (IOException e) {
          return Optional.empty();
        }
      }
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || hasOpaqueParent(layer, rel)) {
        return Optional.empty(); // a whiteout, a directory or an opaque dir hides lower layers
      }
    }
    return Optional.empty();
  }

  private static boolean hasOpaqueParent(Path layer, String rel) {
    Path parent = layer.resolve(rel).getParent();
    while (parent != null && parent.startsWith(layer) && !parent.equals(layer)) {
      if (isOpaque(parent)) {
        return true;
      }
      parent = parent.getParent();
    }
    return false;
  }

  /** @return whether dir is an overlay opaque directory (user. or trusted.overlay.opaque = y) */
  public static boolean isOpaque(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    for (String attr : List.of("trusted.overlay.opaque", "user.overlay.opaque")) {
      try {
        byte[] v = Xattrs.lgetxattr(dir.toString(), attr);
        if (v != null && v.length == 1 && v[0] == 'y') {
          return true;
        }
      } catch (LinuxException e) {
        // not readable (trusted.* needs root) or not set
      }
    }
    return false;
  }
}
