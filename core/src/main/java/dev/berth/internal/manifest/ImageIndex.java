package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An OCI image index or a Docker manifest list (the same shape under different media types): one
 * manifest per platform, picked with {@link PlatformMatcher}.
 *
 * <p>Never re-serialise one to compute a digest: keep the bytes the registry sent.
 *
 * @param schemaVersion 2
 * @param mediaType {@link MediaTypes#OCI_INDEX} or {@link MediaTypes#DOCKER_MANIFEST_LIST}
 * @param artifactType the artifact's type when the index describes an artifact
 * @param manifests the entries, each usually with a platform (written even when empty)
 * @param subject the manifest this index refers to, or {@code null}
 * @param annotations arbitrary metadata
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageIndex(
    int schemaVersion,
    String mediaType,
    String artifactType,
    @JsonInclude(JsonInclude.Include.ALWAYS) List<Descriptor> manifests,
    Descriptor subject,
    Map<String, String> annotations) implements ManifestDocument {

  /** @throws IllegalArgumentException when the schema version is not 2 */
  public ImageIndex {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("image index schemaVersion must be 2, got " + schemaVersion);
    }
    manifests = Copies.list(manifests);
    annotations = Copies.map(annotations);
  }
}
