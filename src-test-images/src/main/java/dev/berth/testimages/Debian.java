package dev.berth.testimages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Debian layers: a debootstrap root file system, and the difference an apt-get install makes. */
final class Debian {
  private static final Map<String, String> CHROOT_ENV = Map.of(
      "DEBIAN_FRONTEND", "noninteractive",
      "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "LANG", "C.UTF-8");

  private Debian() {}

  /** Runs debootstrap into {@code dir}, then drops what an image should not carry. */
  static void bootstrap(RecipeFile.Debootstrap spec, Path dir) throws IOException {
    Command.run(List.of("debootstrap", "--variant=" + spec.variant(), spec.suite(),
        dir.toString(), spec.mirror()));
    // device nodes, downloaded .debs and package lists, and the host's network identity
    Trees.deleteChildren(dir.resolve("dev"));
    deleteMatching(dir.resolve("var/cache/apt/archives"), ".deb");
    deleteMatching(dir.resolve("var/lib/apt/lists"), "_");
    Files.deleteIfExists(dir.resolve("etc/resolv.conf"));
    Files.deleteIfExists(dir.resolve("etc/hostname"));
  }

  /**
   * Installs {@code packages} in a chroot of an overlay of {@code lowers} (top first), so that
   * {@code upper} receives exactly what the installation changed, whiteouts included.
   * {@code userxattr} makes overlayfs mark opaque directories with a user xattr Java can read.
   */
  static void install(List<Path> lowers, Path upper, Path scratch, List<String> packages)
      throws IOException {
    Path work = Files.createDirectories(scratch.resolve("overlay-work"));
    Path merged = Files.createDirectories(scratch.resolve("merged"));
    String lowerdir = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
    Command.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lowerdir
        + ",upperdir=" + upper + ",workdir=" + work + ",userxattr", merged.toString()));
    List<Path> mounts = new ArrayList<>(List.of(merged));
    try {
      Command.run(List.of("mount", "--bind", "/dev", merged.resolve("dev").toString()));
      mounts.add(0, merged.resolve("dev"));
      Command.run(List.of("mount", "-t", "proc", "proc", merged.resolve("proc").toString()));
      mounts.add(0, merged.resolve("proc"));
      Files.copy(Path.of("/etc/resolv.conf"), merged.resolve("etc/resolv.conf"),
          StandardCopyOption.REPLACE_EXISTING);
      Command.run(List.of("chroot", merged.toString(), "/bin/sh", "-c",
          "apt-get update -qq && apt-get install -y -qq --no-install-recommends "
              + String.join(" ", packages)
              + " && apt-get clean && rm -rf /var/lib/apt/lists/*_*"), CHROOT_ENV);
      Files.deleteIfExists(merged.resolve("etc/resolv.conf"));
    } finally {
      mounts.forEach(Debian::unmount);
    }
  }

  /** Unmounts, detaching lazily if busy, so the build's cleanup never meets a live mount. */
  private static void unmount(Path mountPoint) {
    try {
      Command.run(List.of("umount", mountPoint.toString()));
    } catch (TestImageException busy) {
      Command.run(List.of("umount", "--lazy", mountPoint.toString()));
    }
  }

  private static void deleteMatching(Path dir, String nameContains) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (f.getFileName().toString().contains(nameContains)) {
          Files.delete(f);
        }
      }
    }
  }
}
