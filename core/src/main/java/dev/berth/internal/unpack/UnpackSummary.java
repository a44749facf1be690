package dev.berth.internal.unpack;

import java.util.List;

/**
 * What unpacking one layer did.
 *
 * @param entries tar entries read (including whiteouts and skipped ones)
 * @param bytes bytes of regular-file content written
 * @param notes what was skipped or not applied, one line per kind with an example path
 */
public record UnpackSummary(long entries, long bytes, List<String> notes) {
  public UnpackSummary {
    notes = List.copyOf(notes);
  }
}
