package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.DigestMismatchException;
import dev.berth.internal.archive.VerifiedStream;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.store.Reservation;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.ParallelGzipOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The manifest a stored image is pushed with. Layers kept as plain tars (what a build commits,
 * what a docker-archive loads) go out gzipped, as Docker and buildah push theirs: each is
 * compressed once, on its first push, into a blob the store keeps as the plain blob's
 * {@linkplain Store#compressedForm compressed form}, so a second push sends the same bytes
 * without compressing again. The stored manifest is not changed; an image whose layers are all
 * compressed already (a pulled one) goes out with its stored bytes, so it keeps its digest.
 *
 * <p>Close it when the push is done: until then the compressed blobs are held from garbage
 * collection.
 */
public final class OutgoingManifest implements AutoCloseable {
  private final byte[] bytes;
  private final String mediaType;
  private final ImageManifest manifest;
  private final Reservation hold;

  private OutgoingManifest(byte[] bytes, String mediaType, ImageManifest manifest,
      Reservation hold) {
    this.bytes = bytes;
    this.mediaType = mediaType;
    this.manifest = manifest;
    this.hold = hold;
  }

  /**
   * @param stored the stored manifest's bytes
   * @param mediaType its media type
   * @param what names the image in errors
   * @throws BerthException when the stored manifest is not an image manifest
   * @throws DigestMismatchException when a plain layer's stored bytes are not what its digest
   *     says (nothing is kept then)
   */
  public static OutgoingManifest of(Store store, byte[] stored, String mediaType, String what) {
    ManifestDocument doc = Manifests.parse(stored, mediaType, "manifest of " + what);
    if (!(doc instanceof ImageManifest manifest)) {
      throw new BerthException("the stored manifest of " + what + " is not an image"
          + " manifest; pull the image again");
    }
    Reservation hold = store.reserve(List.of());
    try {
      List<Descriptor> layers = new ArrayList<>();
      for (Descriptor layer : manifest.layers()) {
        String gzip = MediaTypes.gzipForm(layer.mediaType());
        layers.add(gzip == null ? layer : compressed(store, layer, gzip, hold));
      }
      if (layers.equals(manifest.layers())) {
        return new OutgoingManifest(stored, mediaType, manifest, hold);
      }
      ImageManifest out = new ImageManifest(manifest.schemaVersion(), manifest.mediaType(),
          manifest.artifactType(), manifest.config(), layers, manifest.subject(),
          manifest.annotations());
      return new OutgoingManifest(Manifests.toJson(out), mediaType, out, hold);
    } catch (RuntimeException e) {
      hold.close();
      throw e;
    }
  }

  /** @return the manifest's bytes, to put in the registry */
  public byte[] bytes() {
    return bytes;
  }

  public String mediaType() {
    return mediaType;
  }

  /** @return the layer blobs the manifest names, bottom first: stored blobs of the store */
  public List<Descriptor> layers() {
    return manifest.layers();
  }

  public Descriptor config() {
    return manifest.config();
  }

  @Override
  public void close() {
    hold.close();
  }

  /** The gzip form of a plain layer: the one made before, or made now (the source verified). */
  private static Descriptor compressed(Store store, Descriptor layer, String gzipType,
      Reservation hold) {
    Digest plain = layer.digest();
    try {
      Digest known = store.compressedForm(plain).orElse(null);
      if (known != null) {
        hold.addAll(List.of(known));
        if (store.hasBlob(known)) {
          return gzipOf(layer, gzipType, known, Files.size(store.blobPath(known)));
        }
      }
      if (!store.hasBlob(plain)) {
        throw new BerthException("layer " + plain + " is missing from the store ("
            + store.blobPath(plain) + "); remove the image and build, pull or load it again");
      }
      Path tmp = store.newTempFile("gzip-");
      MessageDigest gzipHash = Hashes.sha256();
      try (InputStream file = Files.newInputStream(store.blobPath(plain));
          InputStream in = new VerifiedStream(file, plain, layer.size(), "stored layer " + plain,
              "the store's copy is damaged; remove the image and build, pull or load it again");
          OutputStream out = new ParallelGzipOutputStream(new DigestOutputStream(
              new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), gzipHash),
              Deflater.BEST_SPEED)) {
        in.transferTo(out);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      Digest gzip = Hashes.finishSha256(gzipHash);
      long size = Files.size(tmp);
      hold.addAll(List.of(gzip)); // before it is stored: a collection cannot take it
      store.commitBlob(tmp, gzip); // over an equal one, if another push made it meanwhile
      store.recordCompressedForm(plain, gzip);
      return gzipOf(layer, gzipType, gzip, size);
    } catch (IOException e) {
      throw Store.failure("cannot compress stored layer " + plain + " to push it",
          store.blobPath(plain), e);
    }
  }

  /** The plain layer's descriptor with the gzip form's type, digest and size (urls, annotations kept). */
  private static Descriptor gzipOf(Descriptor plain, String type, Digest digest, long size) {
    return new Descriptor(type, digest, size, plain.urls(), plain.annotations(), null, null,
        null);
  }
}
