package dev.berth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker image inspect} shows of an image.
 *
 * @param id the image id (its config digest)
 * @param repoTags references that name it ({@code docker.io/library/node:latest})
 * @param repoDigests {@code repository@digest} forms it was pulled by
 * @param created when the image was built, or null when the config does not say
 * @param size bytes of its unpacked layers
 * @param platform the platform it was built for
 * @param entrypoint ENTRYPOINT
 * @param cmd CMD
 * @param env ENV as {@code NAME=value}
 * @param workingDir WORKDIR, or empty
 * @param user USER, or empty
 * @param exposedPorts EXPOSE, e.g. {@code 3000/tcp}
 * @param volumes VOLUME paths
 * @param labels LABELs
 * @param stopSignal STOPSIGNAL, or empty
 * @param layers the layers' uncompressed digests (diffIDs), base first
 */
public record ImageInfo(
    Digest id,
    List<String> repoTags,
    List<String> repoDigests,
    Instant created,
    long size,
    Platform platform,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    List<String> exposedPorts,
    List<String> volumes,
    Map<String, String> labels,
    String stopSignal,
    List<Digest> layers) {

  /**
   * Copies the lists and the maps.
   *
   * @param id the image id (its config digest)
   * @param repoTags references that name it ({@code docker.io/library/node:latest})
   * @param repoDigests {@code repository@digest} forms it was pulled by
   * @param created when the image was built, or null when the config does not say
   * @param size bytes of its unpacked layers
   * @param platform the platform it was built for
   * @param entrypoint ENTRYPOINT
   * @param cmd CMD
   * @param env ENV as {@code NAME=value}
   * @param workingDir WORKDIR, or empty
   * @param user USER, or empty
   * @param exposedPorts EXPOSE, e.g. {@code 3000/tcp}
   * @param volumes VOLUME paths
   * @param labels LABELs
   * @param stopSignal STOPSIGNAL, or empty
   * @param layers the layers' uncompressed digests (diffIDs), base first
   */
  public ImageInfo {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    exposedPorts = List.copyOf(exposedPorts);
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
    layers = List.copyOf(layers);
  }

  @Override
  public String toString() {
    return "ImageInfo{id=" + id.shortHex() + ", tags=" + repoTags + ", platform=" + platform
        + ", entrypoint=" + entrypoint + ", cmd=" + cmd + ", workingDir=" + workingDir
        + ", user=" + user + ", env=" + env + ", exposedPorts=" + exposedPorts + ", labels="
        + labels + ", layers=" + layers.size() + ", size=" + size + ", created=" + created + "}";
  }
}
