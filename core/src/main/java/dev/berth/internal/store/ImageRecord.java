package dev.berth.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One stored image, as kept in {@code images.json}. Its id is the config digest, as Docker's.
 *
 * @param id config digest ({@code sha256:…})
 * @param manifestDigest digest of the image manifest
 * @param manifestMediaType media type of that manifest
 * @param repoTags normalised references that name this image ({@code docker.io/library/node:latest})
 * @param repoDigests {@code repo@digest} forms it was pulled by
 * @param chainIds chain ids of its layers, bottom first (the layer dirs)
 * @param diffIds uncompressed layer digests, bottom first
 * @param layerDigests compressed layer blob digests, bottom first
 * @param size bytes of the unpacked layers
 * @param created the image's creation time from its config, or null
 * @param platform {@code os/arch[/variant]}
 * @param stored when it was stored (ISO-8601)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRecord(
    String id,
    String manifestDigest,
    String manifestMediaType,
    List<String> repoTags,
    List<String> repoDigests,
    List<String> chainIds,
    List<String> diffIds,
    List<String> layerDigests,
    long size,
    String created,
    String platform,
    String stored) {

  public ImageRecord {
    repoTags = repoTags == null ? List.of() : List.copyOf(repoTags);
    repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
    chainIds = chainIds == null ? List.of() : List.copyOf(chainIds);
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    layerDigests = layerDigests == null ? List.of() : List.copyOf(layerDigests);
  }

  public ImageRecord withRepoTags(List<String> tags) {
    return new ImageRecord(id, manifestDigest, manifestMediaType, tags, repoDigests, chainIds,
        diffIds, layerDigests, size, created, platform, stored);
  }

  public ImageRecord withRepoDigests(List<String> digests) {
    return new ImageRecord(id, manifestDigest, manifestMediaType, repoTags, digests, chainIds,
        diffIds, layerDigests, size, created, platform, stored);
  }
}
