package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Mount;
import dev.berth.RunOptions;
import dev.berth.internal.linux.Fcntl;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.linux.Syscalls;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.MergedView;
import dev.berth.internal.runtime.RuntimeSpec;
import dev.berth.internal.runtime.TreeCopy;
import dev.berth.internal.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the run options' mounts (and the image's VOLUMEs) into what a container record keeps,
 * creating volumes and filling new empty ones from the image as Docker does; and turns a
 * record's mounts into the helper's.
 */
final class ContainerMounts {
  private final Store store;
  private final VolumeStore volumes;
  private final RootlessFiles rootless;

  /** @param rootless how a rootless engine fills volumes, or null (root, or volumes start empty) */
  ContainerMounts(Store store, VolumeStore volumes, RootlessFiles rootless) {
    this.store = store;
    this.volumes = volumes;
    this.rootless = rootless;
  }

  /** @return whether the container gets a named or anonymous volume (prepare then needs the volumes lock) */
  boolean needsVolumes(RunOptions opts, Set<String> imageVolumes) {
    return withImageVolumes(opts.mounts(), imageVolumes).stream().anyMatch(m -> m.type() == Mount.Type.VOLUME);
  }

  /**
   * With the volumes lock held (when {@link #needsVolumes}): the container's mounts, parents
   * before children. Anonymous volumes made here are removed again when a later one fails.
   *
   * @param lowersTopFirst the image's layer dirs, to fill new volumes from
   */
  List<ContainerRecord.Mount> prepare(RunOptions opts, Set<String> imageVolumes,
      List<Path> lowersTopFirst, String containerId) {
    List<Mount> wanted = withImageVolumes(opts.mounts(), imageVolumes);
    List<ContainerRecord.Mount> out = new ArrayList<>();
    List<String> anonymous = new ArrayList<>();
    MergedView view = null;
    try {
      for (Mount m : wanted) {
        if (m.type() != Mount.Type.VOLUME) {
          out.add(plain(m));
          continue;
        }
        VolumeStore.Ensured v = volumes.ensureLocked(m.source(),
            m.source() == null && opts.autoRemove() ? containerId : null);
        if (m.source() == null) {
          anonymous.add(v.name());
        }
        if (v.empty() && !Linux.isRoot() && rootless != null) {
          rootless.fillVolume(lowersTopFirst, m.target(), store.layout().volumeData(v.name()));
        } else if (v.empty() && Linux.isRoot()) {
          if (view == null) {
            view = imageView(lowersTopFirst);
          }
          fill(view, m.target(), v.name());
        }
        out.add(new ContainerRecord.Mount("volume", v.name(), m.target(), m.readOnly(), ""));
      }
    } catch (RuntimeException e) {
      anonymous.forEach(volumes::deleteLocked);
      throw e;
    } finally {
      if (view != null) {
        view.close();
      }
    }
    out.sort((a, b) -> Long.compare(depth(a), depth(b))); // not comparingLong: see Endpoint.BY_INTERFACE
    return out;
  }

  /** A mount's depth: its target's slashes (a parent is mounted before what lies below it). */
  private static long depth(ContainerRecord.Mount m) {
    return m.target().chars().filter(c -> c == '/').count();
  }

  private MergedView imageView(List<Path> lowersTopFirst) {
    if (lowersTopFirst.size() == 1) {
      return MergedView.readOnly(lowersTopFirst, null); // one plain layer needs no mount
    }
    return MergedView.readOnly(lowersTopFirst, store.newTempDir("volume-fill-"));
  }

  /** Docker gives each image VOLUME no mount covers an anonymous volume. */
  private static List<Mount> withImageVolumes(List<Mount> asked, Set<String> imageVolumes) {
    List<Mount> all = new ArrayList<>(asked);
    for (String path : imageVolumes == null ? Set.<String>of() : imageVolumes) {
      String target = Path.of(path).normalize().toString();
      if (asked.stream().noneMatch(m -> m.target().equals(target))) {
        all.add(new Mount(Mount.Type.VOLUME, null, target, false, 0, 0));
      }
    }
    return all;
  }

  private static ContainerRecord.Mount plain(Mount m) {
    if (m.type() == Mount.Type.TMPFS) {
      String options = "mode=" + Integer.toOctalString(m.mode())
          + (m.sizeBytes() > 0 ? ",size=" + m.sizeBytes() : "");
      return new ContainerRecord.Mount("tmpfs", "", m.target(), false, options);
    }
    if (!Files.exists(Path.of(m.source()))) {
      throw new BerthException("bind source path does not exist: " + m.source()
          + "; create it on the host first");
    }
    return new ContainerRecord.Mount("bind", m.source(), m.target(), m.readOnly(), "");
  }

  /** Copies the image's files at {@code target} into the volume, owners and modes kept. */
  private void fill(MergedView view, String target, String volume) {
    int root = view.openRoot();
    int src = -1;
    int dst = -1;
    try {
      src = ContainerCopy.absoluteDirInRoot(root, target);
      if (src < 0) {
        return; // nothing there in the image: the volume starts empty
      }
      dst = Syscalls.openat(Fcntl.AT_FDCWD, store.layout().volumeData(volume).toString(),
          Fcntl.O_PATH | Fcntl.O_DIRECTORY | Fcntl.O_CLOEXEC, 0);
      new TreeCopy(TreeCopy.Owners.KEEP).copyContents(src, dst);
    } catch (RuntimeException e) {
      throw new BerthException("cannot fill volume " + volume + " from the image's " + target
          + ": " + e.getMessage(), e);
    } finally {
      Syscalls.closeQuietly(root);
      Syscalls.closeQuietly(src);
      Syscalls.closeQuietly(dst);
    }
  }

  /** The helper's mounts for a record's: volumes are binds of their data directories. */
  List<RuntimeSpec.Mount> runtimeMounts(List<ContainerRecord.Mount> mounts) {
    List<RuntimeSpec.Mount> out = new ArrayList<>();
    for (ContainerRecord.Mount m : mounts) {
      out.add(switch (m.type()) {
        case "tmpfs" -> new RuntimeSpec.Mount("tmpfs", null, m.target(), m.options());
        case "volume" -> RuntimeSpec.Mount.bind(store.layout().volumeData(m.source()),
            m.target(), m.readOnly());
        default -> RuntimeSpec.Mount.bind(Path.of(m.source()), m.target(), m.readOnly());
      });
    }
    return out;
  }
}
