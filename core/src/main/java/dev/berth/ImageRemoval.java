package dev.berth;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Images#remove} or {@link Images#prune} did, as {@code docker rmi} and
 * {@code docker image prune} report it.
 *
 * <pre>{@code
 * ImageRemoval r = Images.remove("busybox", false);
 * System.out.println(r);   // Untagged: docker.io/library/busybox:latest
 *                          // Deleted: sha256:3f4c…
 * }</pre>
 *
 * @param untagged the names taken away
 * @param deleted the ids of the images deleted from the store
 * @param reclaimedBytes bytes of layers and blobs freed (0 when only names were removed)
 */
public record ImageRemoval(List<String> untagged, List<Digest> deleted, long reclaimedBytes) {

  /**
   * Copies the lists; the reclaimed bytes cannot be negative.
   *
   * @param untagged the names taken away
   * @param deleted the ids of the images deleted from the store
   * @param reclaimedBytes bytes of layers and blobs freed (0 when only names were removed)
   */
  public ImageRemoval {
    untagged = List.copyOf(untagged);
    deleted = List.copyOf(deleted);
    if (reclaimedBytes < 0) {
      throw new IllegalArgumentException("reclaimedBytes must not be negative: " + reclaimedBytes);
    }
  }

  /** @return {@code Untagged: …} and {@code Deleted: …} lines, as Docker prints them */
  @Override
  public String toString() {
    List<String> lines = new ArrayList<>();
    untagged.forEach(t -> lines.add("Untagged: " + t));
    deleted.forEach(d -> lines.add("Deleted: " + d));
    lines.add("Total reclaimed space: " + dev.berth.internal.runtime.DockerText.size(reclaimedBytes));
    return String.join("\n", lines);
  }
}
