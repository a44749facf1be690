package dev.berth.internal.build;

import dev.berth.BerthException;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The merged view of overlay-format layer dirs, for {@code COPY --from}: applies one subtree of
 * each layer, base first, to a plain directory, honouring whiteouts (0/0 character devices delete)
 * and opaque directories (which hide what lower layers had there). Nothing is mounted.
 */
final class LayerFlattener {
  private LayerFlattener() {}

  /**
   * @param layersBottomFirst the image's layer dirs
   * @param subtree a relative path, empty for everything
   * @param target an empty directory, which receives {@code subtree} at the same relative path
   */
  static void extract(List<Path> layersBottomFirst, String subtree, Path target) {
    try {
      for (Path layer : layersBottomFirst) {
        applyLayer(layer, subtree, target);
      }
    } catch (IOException e) {
      throw new BerthException("cannot read the files of a build stage into " + target + ": "
          + e, e);
    }
  }

  private static void applyLayer(Path layer, String subtree, Path target) throws IOException {
    Path start = layer.resolve(subtree);
    if (!Files.exists(start, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(start)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        applyEntry(p, target.resolve(layer.relativize(p).toString()));
      }
    }
  }

  private static void applyEntry(Path source, Path dest) throws IOException {
    Map<String, Object> a = Files.readAttributes(source, "unix:mode,rdev",
        LinkOption.NOFOLLOW_LINKS);
    int type = (Integer) a.get("mode") & 0170000;
    boolean whiteout = type == 0020000 && (Long) a.get("rdev") == 0;
    boolean dir = type == 0040000;
    if (whiteout || !dir || LayerTar.isOpaque(source)) {
      FileTrees.deleteRecursively(dest);
    }
    if (whiteout) {
      return;
    }
    Files.createDirectories(dest.getParent());
    if (dir) {
      if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dest);
      }
      Files.setAttribute(dest, "unix:mode", (Integer) a.get("mode") & 07777);
    } else if (type == 0120000 || type == 0100000) {
      Files.copy(source, dest, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }
}
