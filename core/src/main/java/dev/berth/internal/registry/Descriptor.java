package dev.berth.internal.registry;

import dev.berth.Digest;

/**
 * What a HEAD request says about a manifest or blob, without its content.
 *
 * @param mediaType from Content-Type, without parameters (may be empty for blobs)
 * @param digest the registry's Docker-Content-Digest
 * @param size Content-Length, or -1 when not sent
 */
public record Descriptor(String mediaType, Digest digest, long size) {}
