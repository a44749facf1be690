package dev.berth.testimages;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Copies layouts to registries with skopeo. */
final class Skopeo {
  private Skopeo() {}

  /**
   * The {@code skopeo copy} command line that pushes {@code recipe}'s layout: {@code --all} for
   * an index; {@code --format v2s2} for Docker variants; otherwise {@code --preserve-digests}, so
   * the registry holds byte-for-byte the layout's manifests (and zstd stays zstd).
   */
  static List<String> copyCommand(Recipe recipe, Path layout, String destination,
      List<String> extraArgs) {
    List<String> argv = new ArrayList<>(List.of("skopeo", "copy", "--quiet"));
    if (recipe.isIndex()) {
      argv.add("--all");
    }
    if (recipe.dockerFormat()) {
      argv.addAll(List.of("--format", "v2s2"));
    } else {
      argv.add("--preserve-digests");
    }
    argv.addAll(extraArgs);
    argv.add("oci:" + layout + ":latest");
    argv.add("docker://" + destination);
    return argv;
  }

  /** Checks {@code destination} is {@code host[:port]/repository[:tag|@digest]} without transport. */
  static void checkDestination(String destination) {
    if (destination == null || destination.isBlank()) {
      throw new TestImageException("push destination is empty; give host:port/repository:tag,"
          + " e.g. 127.0.0.1:5000/library/busybox:latest");
    }
    if (destination.contains("://") || destination.chars().anyMatch(Character::isWhitespace)
        || !destination.contains("/")) {
      throw new TestImageException("push destination '" + destination + "' is not"
          + " host:port/repository:tag (no transport, no spaces), e.g."
          + " 127.0.0.1:5000/library/busybox:latest");
    }
  }
}
