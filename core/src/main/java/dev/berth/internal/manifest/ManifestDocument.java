package dev.berth.internal.manifest;

import java.util.Map;

/**
 * What a registry answers to a manifest request: an image manifest, or an index of them (OCI image
 * index or Docker manifest list). Read one with {@link Manifests#parse}.
 *
 * <p>The records are a reading of the document, not the document: its digest is over the bytes
 * the registry sent, so keep those bytes and never re-serialise a document to hash or store it.
 */
public sealed interface ManifestDocument permits ImageManifest, ImageIndex {
  /** @return always 2 for the documents Berth reads */
  int schemaVersion();

  /** @return the media type the document declares, or {@code null} when it declares none */
  String mediaType();

  /** @return the document's annotations, empty when it has none */
  Map<String, String> annotations();
}
