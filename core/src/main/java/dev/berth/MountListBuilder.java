package dev.berth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The mounts concern of {@link RunOptionsBuilder}: checks bind sources and volume names as they
 * are set, and keeps one mount per container path (a later one replaces an earlier one).
 */
final class MountListBuilder {
  private final List<Mount> mounts = new ArrayList<>();

  MountListBuilder() {}

  MountListBuilder(List<Mount> mounts) {
    this.mounts.addAll(mounts);
  }

  /** A bind mount of an existing host path (Docker's {@code --mount} rule). */
  void bind(Path hostPath, String containerPath, boolean readOnly) {
    Path abs = hostPath.toAbsolutePath().normalize();
    if (!Files.exists(abs)) {
      throw new IllegalArgumentException("bind source path does not exist: " + abs
          + "; create it on the host first");
    }
    add(new Mount(Mount.Type.BIND, abs.toString(), containerPath, readOnly, 0, 0));
  }

  /** A named volume; the name is checked. */
  void namedVolume(String name, String containerPath) {
    Mount.checkVolumeName(name);
    add(new Mount(Mount.Type.VOLUME, name, containerPath, false, 0, 0));
  }

  /** A new anonymous volume (the engine names it). */
  void anonymousVolume(String containerPath) {
    add(new Mount(Mount.Type.VOLUME, null, containerPath, false, 0, 0));
  }

  void tmpfs(String containerPath, long sizeBytes, int mode) {
    add(new Mount(Mount.Type.TMPFS, null, containerPath, false, sizeBytes, mode));
  }

  void add(Mount mount) {
    Objects.requireNonNull(mount, "mount");
    mounts.removeIf(m -> m.target().equals(mount.target()));
    mounts.add(mount);
  }

  List<Mount> build() {
    return mounts;
  }
}
