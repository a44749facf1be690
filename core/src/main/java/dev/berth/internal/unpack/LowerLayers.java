package dev.berth.internal.unpack;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The layers below the one {@link LayerUnpacker} unpacks in {@link UnpackMode#OVERLAY}, where a
 * hardlink to a file only a lower layer holds finds that file to copy it up. Asked for only when
 * such a hardlink comes (rarely), so a caller that unpacks layers in parallel may wait there for
 * the lower ones to be stored.
 */
@FunctionalInterface
public interface LowerLayers {
  /**
   * One layer below.
   *
   * @param dir its unpacked directory, in the same format (overlay whiteouts, opaque xattrs)
   * @param name names it in messages (its digest)
   * @param owners owners it keeps beside its files instead of on them (rootless copy mode)
   */
  record Layer(Path dir, String name, Owners owners) {
    public Layer {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(owners, "owners");
    }

    /** A layer whose files carry their own owners. */
    public Layer(Path dir, String name) {
      this(dir, name, Owners.ON_FILES);
    }
  }

  /** Where a layer's real owners are, when not on its files. */
  @FunctionalInterface
  interface Owners {
    /** Every file carries its own owner. */
    Owners ON_FILES = path -> null;

    /**
     * @param path relative to the layer's directory, no symlink in it
     * @return {uid, gid} as they would be on disk, or null when the file's own are right
     */
    int[] of(String path);
  }

  /** @return the layers below, the one just below first, the base last */
  List<Layer> topFirst();

  /** @return no layers below: a base layer, or an unpack without a store */
  static LowerLayers none() {
    return List::of;
  }
}
