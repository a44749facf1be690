package dev.berth.internal.unpack;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * How {@link LayerUnpacker} applies a layer.
 *
 * @param mode overlay lower dir or flattened tree
 * @param userXattrs in {@link UnpackMode#OVERLAY}, mark opaque directories with {@code
 *     user.overlay.opaque} (for overlay mounted with {@code userxattr}, rootless) instead of
 *     {@code trusted.overlay.opaque}
 * @param uidMap maps a uid from the tar to the uid written to disk
 * @param gidMap maps a gid from the tar to the gid written to disk
 * @param resolution how paths are resolved inside the root (tests force {@link Resolution#WALK})
 * @param deferOwners when an owner cannot be set (no CAP_CHOWN, an id that is not ours), list it
 *     in {@link UnpackSummary#deferredOwners()} for a privileged step to apply (rootless with
 *     subordinate ids: the helper's chown job) instead of only noting it
 * @param parallelFiles create a layer's regular files on a few writer threads while the tar is
 *     read in order (by default from 4 cores up or with {@code -Dberth.unpack.writers=N}; off:
 *     everything on the calling thread)
 */
public record UnpackOptions(
    UnpackMode mode, boolean userXattrs, IntUnaryOperator uidMap, IntUnaryOperator gidMap,
    Resolution resolution, boolean deferOwners, boolean parallelFiles) {

  /** How paths are resolved inside the root directory. */
  public enum Resolution {
    /** openat2 when the kernel has it, else {@link #WALK}. */
    AUTO,
    /** openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), kernel 5.6 and later. */
    OPENAT2,
    /** One component at a time with O_NOFOLLOW, following symlinks by hand inside the root. */
    WALK
  }

  public UnpackOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(uidMap, "uidMap");
    Objects.requireNonNull(gidMap, "gidMap");
    Objects.requireNonNull(resolution, "resolution");
  }

  /** @return options for an overlay lower directory, trusted xattrs, ids as in the tar */
  public static UnpackOptions overlay() {
    return new UnpackOptions(UnpackMode.OVERLAY, false, IntUnaryOperator.identity(),
        IntUnaryOperator.identity(), Resolution.AUTO, false, FileWriters.BY_DEFAULT);
  }

  /** @return options for applying on top of the layers below, ids as in the tar */
  public static UnpackOptions flatten() {
    return new UnpackOptions(UnpackMode.FLATTEN, false, IntUnaryOperator.identity(),
        IntUnaryOperator.identity(), Resolution.AUTO, false, FileWriters.BY_DEFAULT);
  }

  /** @return these options with {@code user.overlay.opaque} (true) or {@code trusted.…} */
  public UnpackOptions withUserXattrs(boolean user) {
    return new UnpackOptions(mode, user, uidMap, gidMap, resolution, deferOwners, parallelFiles);
  }

  /** @return these options with the given id mapping */
  public UnpackOptions withIdMapping(IntUnaryOperator uids, IntUnaryOperator gids) {
    return new UnpackOptions(mode, userXattrs, uids, gids, resolution, deferOwners, parallelFiles);
  }

  /** @return these options with the given path resolution */
  public UnpackOptions withResolution(Resolution how) {
    return new UnpackOptions(mode, userXattrs, uidMap, gidMap, how, deferOwners, parallelFiles);
  }

  /** @return these options, listing owners that cannot be set instead of only noting them */
  public UnpackOptions withDeferredOwners(boolean defer) {
    return new UnpackOptions(mode, userXattrs, uidMap, gidMap, resolution, defer, parallelFiles);
  }

  /** @return these options with the regular files written on writer threads (true) or not */
  public UnpackOptions withParallelFiles(boolean parallel) {
    return new UnpackOptions(mode, userXattrs, uidMap, gidMap, resolution, deferOwners, parallel);
  }
}
