package dev.berth.internal.manifest;

import dev.berth.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
      previous = previous == null ? diffId : sha256(previous + " " + diffId);
      chain.add(previous);
    }
    return List.copyOf(chain);
  }

  private static Digest sha256(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return Digest.sha256(HexFormat.of().formatHex(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
