package dev.berth;

/**
 * The archive formats {@link Image#save(java.nio.file.Path, SaveFormat)} writes. {@link
 * Image#load} reads all of them, telling them apart by content.
 */
public enum SaveFormat {
  /**
   * {@code docker save}'s tar ({@code manifest.json}, config, uncompressed layer tars): what
   * {@link Image#save(java.nio.file.Path)} writes by default, as Docker does (podman defaults to
   * the same). {@code docker load} reads it. The image id (config digest) and layer diffIDs
   * survive a round trip; the manifest digest does not, because the layers are stored
   * uncompressed.
   */
  DOCKER_ARCHIVE,
  /**
   * An OCI image layout in a tar ({@code skopeo oci-archive:}): blobs are kept exactly, so the
   * manifest digest survives a round trip.
   */
  OCI_ARCHIVE,
  /** An OCI image layout directory ({@code skopeo oci:}); the directory must be new or empty. */
  OCI_LAYOUT
}
