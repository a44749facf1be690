package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.Digest;
import dev.berth.ImageRef;
import dev.berth.Platform;
import dev.berth.internal.archive.ArchiveFormat;
import dev.berth.internal.archive.ArchiveImage;
import dev.berth.internal.archive.ArchiveReader;
import dev.berth.internal.archive.ArchiveWriter;
import dev.berth.internal.manifest.Descriptor;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.ImageManifest;
import dev.berth.internal.manifest.ManifestDocument;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.manifest.MediaTypes;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Reservation;
import dev.berth.internal.store.Store;
import dev.berth.internal.unpack.LayerUnpacker;
import dev.berth.internal.unpack.UnpackOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Images in and out of the store as files: {@code save} and {@code load} (OCI layout,
 * oci-archive, docker-archive) and {@code unpackTo} (all layers flattened into a plain
 * directory, like {@code umoci unpack}'s rootfs or {@code crane export}).
 */
final class ImageArchives {
  private final Store store;
  private final LayerImporter importer;
  private final Platform platform;

  ImageArchives(Store store, LayerImporter importer, Platform platform) {
    this.store = store;
    this.importer = importer;
    this.platform = platform;
  }

  /** Writes the images, with their names, to {@code target} in {@code format}. */
  void save(List<ImageRecord> images, Path target, ArchiveFormat format) {
    List<ArchiveImage> out = new ArrayList<>();
    for (ImageRecord r : images) {
      out.add(ArchiveImage.of(r.repoTags().stream().map(ImageRef::parse).toList(),
          store.readBlob(Digest.parse(r.manifestDigest())), r.manifestMediaType(),
          store.readBlob(Digest.parse(r.id()))));
    }
    ArchiveWriter.write(target, format, out, d -> Files.newInputStream(store.blobPath(d)));
  }

  /**
   * Stores every image of the archive (this engine's platform from multi-platform ones), its
   * layers imported as a pull would, under the names the archive gives.
   */
  List<ImageRecord> load(Path source) {
    Path temp = store.newTempDir("load-");
    try (Reservation reservation = store.reserve(List.of())) {
      List<ArchiveImage> images = ArchiveReader.read(source, (digest, content) -> {
        reservation.addAll(List.of(digest));
        storeBlob(digest, content);
      }, platform, temp);
      List<ImageRecord> loaded = new ArrayList<>();
      for (ArchiveImage image : images) {
        loaded.add(store(image, reservation, source));
      }
      return loaded;
    } finally {
      try {
        FileTrees.deleteRecursively(temp);
      } catch (IOException ignored) {
        // swept with the session dir
      }
    }
  }

  private ImageRecord store(ArchiveImage image, Reservation reservation, Path source) {
    reservation.addAll(List.of(image.manifestDigest(), image.configDigest()));
    store.putBlob(image.configDigest(), image.config());
    ImageConfig config = Manifests.parseConfig(image.config(),
        "config " + image.configDigest() + " in " + source);
    if (config.diffIds().size() != image.layers().size()) {
      throw new BerthException("image " + image.manifestDigest() + " in " + source
          + " is malformed: its manifest lists " + image.layers().size() + " layers but its"
          + " config has " + config.diffIds().size() + " diff_ids; make the archive again");
    }
    List<LayerImporter.Layer> layers = LayerImporter.Layer.of(image.layers(), config.diffIds());
    reservation.addAll(layers.stream().map(LayerImporter.Layer::chainId).toList());
    long size = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerImporter.Layer layer = layers.get(i);
      importer.importIfMissing(layer, null, n -> { }, importer.below(layers.subList(0, i), () -> { }));
      size += store.layerMeta(layer.chainId()).orElseThrow().size();
    }
    store.putBlob(image.manifestDigest(), image.manifest());
    ImageRecord record = ImageCatalog.newRecord(image.manifestDigest(),
        image.manifestMediaType(), image.configDigest(), config, layers, List.of(), size);
    if (image.names().isEmpty()) {
      return ImageCatalog.add(store, record, null);
    }
    ImageRecord stored = record;
    for (ImageRef name : image.names()) {
      stored = ImageCatalog.add(store, record, name);
    }
    return stored;
  }

  /** Hashes a verified stream into staging and renames it into place (the stream verifies). */
  private void storeBlob(Digest digest, InputStream content) throws IOException {
    if (store.hasBlob(digest)) {
      content.transferTo(OutputStream.nullOutputStream());
      return;
    }
    Path tmp = store.newTempFile("blob-");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      content.transferTo(out);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    store.commitBlob(tmp, digest);
  }

  /**
   * Applies every layer, base first, to {@code dir} in FLATTEN mode: a plain directory with
   * whiteouts applied, as a container sees its root file system.
   *
   * @throws BerthException when {@code dir} exists and is not an empty directory
   */
  void unpack(ImageRecord image, Path dir) {
    requireEmptyDirectory(dir);
    ManifestDocument doc = Manifests.parse(store.readBlob(Digest.parse(image.manifestDigest())),
        image.manifestMediaType(), "manifest of " + image.id());
    if (!(doc instanceof ImageManifest manifest)) {
      throw new BerthException("the stored manifest of " + image.id() + " is not an image"
          + " manifest; pull the image again");
    }
    LayerUnpacker flatten = new LayerUnpacker(UnpackOptions.flatten());
    for (Descriptor layer : manifest.layers()) {
      try (InputStream in = new BufferedInputStream(
          Files.newInputStream(store.blobPath(layer.digest())), 1 << 20)) {
        flatten.unpack(in, MediaTypes.layerCompression(layer.mediaType()), dir,
            layer.digest().toString());
      } catch (IOException e) {
        throw Store.failure("cannot unpack layer " + layer.digest() + " of " + image.id()
            + " into " + dir, dir, e);
      }
    }
  }

  private static void requireEmptyDirectory(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir);
        return;
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new BerthException("cannot unpack into " + dir + ": it is not a directory; give a"
            + " new or empty directory");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        if (entries.iterator().hasNext()) {
          throw new BerthException("cannot unpack into " + dir + ": it is not empty; give a"
              + " new or empty directory");
        }
      }
    } catch (IOException e) {
      throw Store.failure("cannot create " + dir, dir, e);
    }
  }
}
