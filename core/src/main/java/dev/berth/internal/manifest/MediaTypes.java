package dev.berth.internal.manifest;

import dev.berth.RegistryException;
import java.util.List;
import java.util.Map;

/**
 * The media types of the OCI image spec and Docker's image manifest v2 schema 2, and what Berth
 * does with each.
 */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  /** Deprecated by the OCI spec, but still found in old Windows images. */
  public static final String OCI_LAYER_NONDISTRIBUTABLE =
      "application/vnd.oci.image.layer.nondistributable.v1.tar";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Windows base layers that registries may not redistribute: fetched from the descriptor's URLs. */
  public static final String DOCKER_LAYER_FOREIGN_GZIP =
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
  /** Not in Docker's spec, but written by older tools and accepted by containerd. */
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  /** Not in Docker's spec, but written by buildkit with {@code compression=zstd}. */
  public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";

  /** Docker's deprecated schema 1 manifests, which Berth refuses. */
  public static final String DOCKER_SCHEMA1_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+json";
  public static final String DOCKER_SCHEMA1_SIGNED_MANIFEST =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** The manifest kinds Berth reads, preferred first. */
  public static final List<String> MANIFEST_TYPES =
      List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  /** The {@code Accept} header of a manifest request: every kind Berth reads. */
  public static final String ACCEPT_MANIFESTS = String.join(", ", MANIFEST_TYPES);

  private static final Map<String, Compression> LAYERS = Map.of(
      OCI_LAYER, Compression.NONE,
      OCI_LAYER_GZIP, Compression.GZIP,
      OCI_LAYER_ZSTD, Compression.ZSTD,
      OCI_LAYER_NONDISTRIBUTABLE, Compression.NONE,
      OCI_LAYER_NONDISTRIBUTABLE_GZIP, Compression.GZIP,
      OCI_LAYER_NONDISTRIBUTABLE_ZSTD, Compression.ZSTD,
      DOCKER_LAYER, Compression.NONE,
      DOCKER_LAYER_GZIP, Compression.GZIP,
      DOCKER_LAYER_FOREIGN_GZIP, Compression.GZIP,
      DOCKER_LAYER_ZSTD, Compression.ZSTD);

  private static final Map<String, String> GZIP_FORM = Map.of(
      OCI_LAYER, OCI_LAYER_GZIP,
      OCI_LAYER_NONDISTRIBUTABLE, OCI_LAYER_NONDISTRIBUTABLE_GZIP,
      DOCKER_LAYER, DOCKER_LAYER_GZIP);

  private MediaTypes() {}

  /**
   * @return the media type of the gzip form of a plain-tar layer of this type, or null when the
   *     type is not a plain-tar layer
   */
  public static String gzipForm(String mediaType) {
    return GZIP_FORM.get(mediaType);
  }

  /** @return whether {@code mediaType} names an image index or a Docker manifest list */
  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** @return whether {@code mediaType} names an OCI or Docker v2 image manifest */
  public static boolean isImageManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** @return whether {@code mediaType} names a layer Berth can unpack */
  public static boolean isLayer(String mediaType) {
    return LAYERS.containsKey(mediaType);
  }

  /**
   * @return how a layer of this media type is compressed
   * @throws RegistryException naming the media type and the supported ones, when it is not a
   *     layer type Berth knows
   */
  public static Compression layerCompression(String mediaType) {
    Compression c = LAYERS.get(mediaType);
    if (c == null) {
      throw new RegistryException("unsupported layer media type '" + mediaType
          + "': Berth unpacks " + String.join(", ", LAYERS.keySet().stream().sorted().toList()));
    }
    return c;
  }
}
