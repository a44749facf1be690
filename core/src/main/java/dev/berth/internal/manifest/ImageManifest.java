package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.Digest;
import java.util.List;
import java.util.Map;

/**
 * An image manifest: an OCI image manifest or a Docker image manifest v2 schema 2 (the same shape
 * under different media types): one config and the layers, base layer first.
 *
 * <p>Never re-serialise one to compute a digest: keep the bytes the registry sent.
 *
 * @param schemaVersion 2
 * @param mediaType {@link MediaTypes#OCI_MANIFEST} or {@link MediaTypes#DOCKER_MANIFEST}
 * @param artifactType the artifact's type when the manifest holds an artifact, not an image
 * @param config the image config blob
 * @param layers the layer blobs, base layer first (written even when empty: the spec requires it)
 * @param subject the manifest this one refers to (signatures, SBOMs), or {@code null}
 * @param annotations arbitrary metadata
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageManifest(
    int schemaVersion,
    String mediaType,
    String artifactType,
    Descriptor config,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> layers,
    Descriptor subject,
    Map<String, String> annotations) implements ManifestDocument {

  /** @throws IllegalArgumentException when the schema version is not 2 or the config missing */
  public ImageManifest {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException(
          "image manifest schemaVersion must be 2, got " + schemaVersion);
    }
    if (config == null) {
      throw new IllegalArgumentException("image manifest has no config descriptor");
    }
    layers = Copies.list(layers);
    annotations = Copies.map(annotations);
  }

  /** @return Docker's image id: the digest of the config blob */
  public Digest imageId() {
    return config.digest();
  }
}
