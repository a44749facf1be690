package dev.berth.internal.archive;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.util.Hashes;
import java.util.List;
import java.util.Objects;

/**
 * One image in an archive: its names, and its manifest and config as the exact bytes their
 * digests are over (never re-serialised, so digests survive a save and a load).
 *
 * <pre>{@code
 * ArchiveImage img = ArchiveImage.of(List.of(ImageRef.parse("busybox")), manifestBytes,
 *     MediaTypes.OCI_MANIFEST, configBytes);
 * }</pre>
 *
 * @param names the references the archive gives the image; may be empty (untagged)
 * @param manifest the manifest's bytes
 * @param manifestMediaType the manifest's media type (OCI or Docker v2 schema 2)
 * @param manifestDigest the digest of {@code manifest}
 * @param config the config's bytes
 * @param configDigest the digest of {@code config}: Docker's image id
 * @param layers the layers as the manifest lists them, base first, with media types and sizes
 */
public record ArchiveImage(
    List<ImageRef> names,
    byte[] manifest,
    String manifestMediaType,
    Digest manifestDigest,
    byte[] config,
    Digest configDigest,
    List<Descriptor> layers) {

  /**
   * @throws IllegalArgumentException when a digest is not the digest of its bytes, or a field is
   *     missing
   */
  public ArchiveImage {
    names = List.copyOf(names);
    Objects.requireNonNull(manifestMediaType, "manifestMediaType");
    manifest = manifest.clone();
    config = config.clone();
    layers = List.copyOf(layers);
    requireDigest("manifest", manifest, manifestDigest);
    requireDigest("config", config, configDigest);
  }

  /**
   * An image from its manifest and config bytes: digests computed, layers read from the manifest.
   *
   * @throws BerthException when the manifest is not an image manifest or names another config
   */
  public static ArchiveImage of(List<ImageRef> names, byte[] manifest, String mediaType,
      byte[] config) {
    Digest manifestDigest = Hashes.sha256(manifest);
    ImageManifest m = parseManifest(manifest, mediaType, "manifest " + manifestDigest);
    Digest configDigest = Hashes.of(m.config().digest().algorithm(), config);
    if (!configDigest.equals(m.config().digest())) {
      throw new BerthException("manifest " + manifestDigest + " names config "
          + m.config().digest() + " but the config given hashes to " + configDigest
          + ": pass the config the manifest names");
    }
    return new ArchiveImage(names, manifest, mediaType, manifestDigest, config, configDigest,
        m.layers());
  }

  /**
   * Reads bytes that must be an image manifest (not an index).
   *
   * @param source names the document in errors
   * @throws BerthException when they are malformed or an index
   */
  static ImageManifest parseManifest(byte[] bytes, String mediaType, String source) {
    ManifestDocument doc = ArchiveContent.parse(bytes, mediaType, source);
    if (!(doc instanceof ImageManifest m)) {
      throw new BerthException(source + " is an index, not an image manifest");
    }
    return m;
  }

  /** @return a copy of the manifest's bytes */
  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  /** @return a copy of the config's bytes */
  @Override
  public byte[] config() {
    return config.clone();
  }

  /** Equal when names, media type, digests and layers are: the digests stand for the bytes. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ArchiveImage other
        && names.equals(other.names)
        && manifestMediaType.equals(other.manifestMediaType)
        && manifestDigest.equals(other.manifestDigest)
        && configDigest.equals(other.configDigest)
        && layers.equals(other.layers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, manifestMediaType, manifestDigest, configDigest, layers);
  }

  @Override
  public String toString() {
    return "ArchiveImage[" + names + " manifest " + manifestDigest + ", config "
        + configDigest.shortHex() + ", " + layers.size() + " layers]";
  }

  private static void requireDigest(String what, byte[] bytes, Digest digest) {
    Objects.requireNonNull(digest, what + "Digest");
    Digest actual = Hashes.of(digest.algorithm(), bytes);
    if (!actual.equals(digest)) {
      throw new IllegalArgumentException(
          what + " bytes hash to " + actual + ", not to the " + digest + " given");
    }
  }
}
