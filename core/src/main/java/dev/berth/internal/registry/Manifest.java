package dev.berth.internal.registry;

import dev.berth.Digest;

/**
 * A manifest as the registry served it, verified against its digest. Parsing is the manifest
 * module's job.
 *
 * @param bytes the exact bytes (their sha256 is the digest)
 * @param mediaType from Content-Type, without parameters
 * @param digest sha256 of the bytes
 */
public record Manifest(byte[] bytes, String mediaType, Digest digest) {

  /** Copies nothing: the bytes are handed over, callers must not change them. */
  public Manifest {
    if (bytes == null || mediaType == null || digest == null) {
      throw new IllegalArgumentException("a manifest needs bytes, a media type and a digest");
    }
  }

  @Override
  public String toString() {
    return "Manifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
  }
}
