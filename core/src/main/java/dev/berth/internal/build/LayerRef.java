package dev.berth.internal.build;

import dev.berth.Digest;

/**
 * One layer of an image being built: stored unpacked under its chain id and as a blob.
 *
 * @param diffId digest of the uncompressed tar
 * @param chainId the layer with everything below it (the store's layer dir)
 * @param blob digest of the compressed blob
 * @param blobSize size of the blob in bytes
 * @param mediaType the blob's media type
 * @param size bytes of file content in the layer
 */
public record LayerRef(Digest diffId, Digest chainId, Digest blob, long blobSize,
    String mediaType, long size) {}
