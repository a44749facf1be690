package dev.berth.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OCI content descriptor.
 *
 * @param mediaType the blob's media type
 * @param digest {@code sha256:<hex>}
 * @param size the blob's length in bytes
 * @param platform for manifests in an index, else {@code null}
 */
record Descriptor(String mediaType, String digest, long size, ImagePlatform platform) {

  /** The descriptor as OCI JSON. */
  ObjectNode toJson(ObjectMapper json) {
    ObjectNode node = json.createObjectNode()
        .put("mediaType", mediaType)
        .put("digest", digest)
        .put("size", size);
    if (platform != null) {
      ObjectNode p = node.putObject("platform")
          .put("architecture", platform.architecture())
          .put("os", platform.os());
      if (platform.variant() != null) {
        p.put("variant", platform.variant());
      }
    }
    return node;
  }

  /** The same descriptor with a platform. */
  Descriptor withPlatform(ImagePlatform p) {
    return new Descriptor(mediaType, digest, size, p);
  }
}
