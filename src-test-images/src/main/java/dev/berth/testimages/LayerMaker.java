package dev.berth.testimages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/** Turns a layer of a recipe into a directory holding exactly that layer's files. */
final class LayerMaker {
  static final Path HOST_BUSYBOX = Path.of("/bin/busybox");

  private LayerMaker() {}

  /**
   * Fills {@code dir} with {@code layer}.
   *
   * @param below the directories of the layers underneath, top first (for apt)
   * @param scratch an empty directory on the same file system for temporary work
   */
  static void make(Recipe.Layer layer, Path dir, List<Path> below, Path scratch)
      throws IOException {
    RecipeFile.LayerSpec spec = layer.spec();
    if (spec.captured() && !isRoot()) {
      throw new TestImageException("layer \"" + spec.createdBy() + "\" needs root (debootstrap,"
          + " overlayfs and chroot); run as root, or point BERTH_TEST_IMAGE_CACHE at a cache"
          + " that root has filled");
    }
    if (spec.debootstrap() != null) {
      Debian.bootstrap(spec.debootstrap(), dir);
    }
    if (!spec.apt().isEmpty()) {
      Debian.install(below, dir, scratch, spec.apt());
    }
    if (spec.busybox()) {
      busybox(dir);
    }
    if (spec.files() != null) {
      Trees.copy(layer.recipeDir().resolve(spec.files()), dir);
    }
    for (Map.Entry<String, String> text : spec.text().entrySet()) {
      Path file = dir.resolve(text.getKey().replaceFirst("^/+", ""));
      Files.createDirectories(file.getParent());
      Files.writeString(file, text.getValue(), StandardCharsets.UTF_8);
    }
    for (RecipeFile.DirSpec d : spec.dirs()) {
      Files.createDirectories(dir.resolve(d.path().replaceFirst("^/+", "")));
    }
  }

  /** The host's static busybox at /bin/busybox and a symlink to it for each applet. */
  private static void busybox(Path dir) throws IOException {
    if (!Files.isExecutable(HOST_BUSYBOX)) {
      throw new TestImageException("the busybox layer needs the host's static busybox at "
          + HOST_BUSYBOX + "; install it: apt-get install busybox-static");
    }
    Path target = dir.resolve("bin/busybox");
    Files.createDirectories(target.getParent());
    Files.copy(HOST_BUSYBOX, target);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    String applets = Command.run(List.of(HOST_BUSYBOX.toString(), "--list-full"));
    for (String applet : applets.lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
      Path link = dir.resolve(applet);
      if (!link.equals(target)) {
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of("/bin/busybox"));
      }
    }
  }

  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
