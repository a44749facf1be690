package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.Platform;
import dev.berth.internal.util.JsonNamed;
import java.util.List;

/**
 * The {@code platform} of an index entry, as the OCI image index and Docker manifest list write it.
 *
 * @param architecture GOARCH-style CPU architecture, e.g. {@code amd64}; {@code unknown} on
 *     attestation entries
 * @param os GOOS-style operating system, e.g. {@code linux}; {@code unknown} on attestation entries
 * @param osVersion operating system version (Windows images)
 * @param osFeatures required operating system features (Windows images)
 * @param variant CPU variant, e.g. {@code v7}
 * @param features CPU features (Docker manifest lists; reserved in OCI)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PlatformSpec(
    String architecture,
    String os,
    @JsonProperty("os.version") String osVersion,
    @JsonProperty("os.features") List<String> osFeatures,
    String variant,
    List<String> features) implements JsonNamed {

  public PlatformSpec {
    osFeatures = Copies.list(osFeatures);
    features = Copies.list(features);
  }

  /**
   * @return os/architecture/variant as a Berth platform
   * @throws IllegalArgumentException when os or architecture is missing
   */
  public Platform toPlatform() {
    return new Platform(os, architecture, variant);
  }

  @Override
  public String toString() {
    String s = os + "/" + architecture;
    return variant == null || variant.isEmpty() ? s : s + "/" + variant;
  }
}
