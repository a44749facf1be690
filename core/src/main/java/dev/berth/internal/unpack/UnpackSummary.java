package dev.berth.internal.unpack;

import java.util.List;

/**
 * What unpacking one layer did.
 *
 * @param entries tar entries read (including whiteouts and skipped ones)
 * @param bytes bytes of regular-file content written
 * @param notes what was skipped or not applied, one line per kind with an example path
 * @param deferredOwners owners not set, in entry order, when {@link UnpackOptions#deferOwners()}
 */
public record UnpackSummary(long entries, long bytes, List<String> notes,
    List<DeferredOwner> deferredOwners) {
  public UnpackSummary {
    notes = List.copyOf(notes);
    deferredOwners = List.copyOf(deferredOwners);
  }

  /**
   * An owner to set later.
   *
   * @param path relative to the unpacked directory, as it is on disk (no symlink in it)
   * @param uid the uid to write on disk (after the id mapping)
   * @param gid the gid to write on disk
   */
  public record DeferredOwner(String path, int uid, int gid) {}
}
