package dev.berth.internal.manifest;

import dev.berth.Digest;
import dev.berth.internal.util.Hashes;
import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs of the OCI image spec (config.md, "Layer ChainID"): the identity of a layer together
 * with every layer below it, so an unpacked layer directory can be shared by every image with the
 * same stack.
 *
 * <pre>
 * ChainID(L0) = DiffID(L0)
 * ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))
 * </pre>
 */
public final class ChainIds {
  private ChainIds() {}

  /**
   * @param diffIds the layers' diffIDs, base layer first (an image config's rootfs.diff_ids)
   * @return the chainID of each layer, base layer first
   * @throws IllegalArgumentException when an entry is null
   */
  public static List<Digest> compute(List<Digest> diffIds) {
    List<Digest> chain = new ArrayList<>(diffIds.size());
    Digest previous = null;
    for (int i = 0; i < diffIds.size(); i++) {
      Digest diffId = diffIds.get(i);
      if (diffId == null) {
        throw new IllegalArgumentException("diffID " + i + " is null: every layer needs one");
      }
      previous = previous == null ? diffId : Hashes.sha256(previous + " " + diffId);
      chain.add(previous);
    }
    return List.copyOf(chain);
  }
}
