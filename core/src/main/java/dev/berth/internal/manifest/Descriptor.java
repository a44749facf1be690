package dev.berth.internal.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.Digest;
import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest, index or config points at.
 *
 * @param mediaType media type of the referenced content
 * @param digest digest of the referenced content's bytes
 * @param size size of the referenced content in bytes, never negative; 0 when the document
 *     omits it
 * @param urls other places the content may be downloaded from (foreign layers)
 * @param annotations arbitrary metadata
 * @param data the content itself, base64-encoded, when embedded
 * @param platform the platform of a manifest in an index, or {@code null}
 * @param artifactType the type of an artifact when the descriptor points at one, or {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(
    String mediaType,
    Digest digest,
    long size,
    List<String> urls,
    Map<String, String> annotations,
    String data,
    PlatformSpec platform,
    String artifactType) {

  /** @throws IllegalArgumentException when the digest is missing or the size negative */
  public Descriptor {
    if (digest == null) {
      throw new IllegalArgumentException("descriptor has no digest");
    }
    if (size < 0) {
      throw new IllegalArgumentException(
          "descriptor size must not be negative, got " + size + " for " + digest);
    }
    urls = Copies.list(urls);
    annotations = Copies.map(annotations);
  }

  /** @return a plain descriptor of content with this media type, digest and size */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, null, null, null, null, null);
  }
}
