package dev.berth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker image inspect} shows of an image.
 *
 * <p>Only Berth makes these (a value class, not a record, so that a field added later is
 * not a breaking change).
 */
public final class ImageInfo {
  private final Digest id;
  private final List<String> repoTags;
  private final List<String> repoDigests;
  private final Instant created;
  private final long size;
  private final Platform platform;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final List<String> env;
  private final String workingDir;
  private final String user;
  private final List<String> exposedPorts;
  private final List<String> volumes;
  private final Map<String, String> labels;
  private final String stopSignal;
  private final List<Digest> layers;



  @Override
  public String toString() {
    return "ImageInfo{id=" + id.shortHex() + ", tags=" + repoTags + ", platform=" + platform
        + ", entrypoint=" + entrypoint + ", cmd=" + cmd + ", workingDir=" + workingDir
        + ", user=" + user + ", env=" + env + ", exposedPorts=" + exposedPorts + ", labels="
        + labels + ", layers=" + layers.size() + ", size=" + size + ", created=" + created + "}";
  }

  /** Only through {@code internal.engine.PublicValues}: no public constructor to break. */
  ImageInfo(Digest id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
      Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
      String workingDir, String user, List<String> exposedPorts, List<String> volumes,
      Map<String, String> labels, String stopSignal, List<Digest> layers) {
    repoTags = List.copyOf(repoTags);
    repoDigests = List.copyOf(repoDigests);
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    exposedPorts = List.copyOf(exposedPorts);
    volumes = List.copyOf(volumes);
    labels = Map.copyOf(labels);
    layers = List.copyOf(layers);
    this.id = id;
    this.repoTags = repoTags;
    this.repoDigests = repoDigests;
    this.created = created;
    this.size = size;
    this.platform = platform;
    this.entrypoint = entrypoint;
    this.cmd = cmd;
    this.env = env;
    this.workingDir = workingDir;
    this.user = user;
    this.exposedPorts = exposedPorts;
    this.volumes = volumes;
    this.labels = labels;
    this.stopSignal = stopSignal;
    this.layers = layers;
  }

  /** @return the image id (its config digest) */
  public Digest id() {
    return id;
  }

  /** @return references that name it ({@code docker.io/library/node:latest}) */
  public List<String> repoTags() {
    return repoTags;
  }

  /** @return {@code repository@digest} forms it was pulled by */
  public List<String> repoDigests() {
    return repoDigests;
  }

  /** @return when the image was built, or null when the config does not say */
  public Instant created() {
    return created;
  }

  /** @return bytes of its unpacked layers */
  public long size() {
    return size;
  }

  /** @return the platform it was built for */
  public Platform platform() {
    return platform;
  }

  /** @return ENTRYPOINT */
  public List<String> entrypoint() {
    return entrypoint;
  }

  /** @return CMD */
  public List<String> cmd() {
    return cmd;
  }

  /** @return ENV as {@code NAME=value} */
  public List<String> env() {
    return env;
  }

  /** @return WORKDIR, or empty */
  public String workingDir() {
    return workingDir;
  }

  /** @return USER, or empty */
  public String user() {
    return user;
  }

  /** @return EXPOSE, e.g. {@code 3000/tcp} */
  public List<String> exposedPorts() {
    return exposedPorts;
  }

  /** @return VOLUME paths */
  public List<String> volumes() {
    return volumes;
  }

  /** @return LABELs */
  public Map<String, String> labels() {
    return labels;
  }

  /** @return STOPSIGNAL, or empty */
  public String stopSignal() {
    return stopSignal;
  }

  /** @return the layers' uncompressed digests (diffIDs), base first */
  public List<Digest> layers() {
    return layers;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageInfo other)) {
      return false;
    }
    return java.util.Objects.equals(id, other.id)
        && java.util.Objects.equals(repoTags, other.repoTags)
        && java.util.Objects.equals(repoDigests, other.repoDigests)
        && java.util.Objects.equals(created, other.created)
        && size == other.size
        && java.util.Objects.equals(platform, other.platform)
        && java.util.Objects.equals(entrypoint, other.entrypoint)
        && java.util.Objects.equals(cmd, other.cmd)
        && java.util.Objects.equals(env, other.env)
        && java.util.Objects.equals(workingDir, other.workingDir)
        && java.util.Objects.equals(user, other.user)
        && java.util.Objects.equals(exposedPorts, other.exposedPorts)
        && java.util.Objects.equals(volumes, other.volumes)
        && java.util.Objects.equals(labels, other.labels)
        && java.util.Objects.equals(stopSignal, other.stopSignal)
        && java.util.Objects.equals(layers, other.layers);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(id, repoTags, repoDigests, created, size, platform, entrypoint, cmd, env, workingDir, user, exposedPorts, volumes, labels, stopSignal, layers);
  }

}
