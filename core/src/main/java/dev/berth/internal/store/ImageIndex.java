package dev.berth.internal.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.BerthException;
import dev.berth.internal.util.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The image index, {@code images.json}: read with a cache keyed by the file's inode, time and
 * size, and replaced atomically under the {@code images} lock so concurrent JVMs never lose
 * each other's updates.
 */
final class ImageIndex {
  private final StoreLayout layout;

  /**
   * images.json as last parsed: every write replaces the file by a rename (a new inode), so the
   * same inode, time and size mean the same content, and a run need not parse it again.
   */
  private record Parsed(Object fileKey, FileTime modified, long size, List<ImageRecord> images) {
    boolean matches(BasicFileAttributes a) {
      return fileKey.equals(a.fileKey()) && modified.equals(a.lastModifiedTime()) && size == a.size();
    }
  }

  private volatile Parsed parsed;

  @JsonIgnoreProperties(ignoreUnknown = true)
  record ImagesFile(int version, List<ImageRecord> images) {
    ImagesFile {
      images = images == null ? List.of() : List.copyOf(images);
    }
  }

  ImageIndex(StoreLayout layout) {
    this.layout = layout;
  }

  /** See {@link Store#images}. */
  List<ImageRecord> read() {
    Path file = layout.imagesJson();
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      attrs = null;
    }
    Parsed cached = parsed;
    if (cached != null && attrs != null && cached.matches(attrs)) {
      return cached.images();
    }
    try {
      List<ImageRecord> images = ImagesFileReader.read(file);
      if (attrs != null && attrs.fileKey() != null) {
        parsed = new Parsed(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), images);
      }
      return images;
    } catch (NoSuchFileException | FileNotFoundException e) {
      return List.of();
    } catch (IOException e) {
      throw new BerthException("the image index " + file + " is unreadable: " + e.getMessage()
          + "; restore it from images.json.bak or remove it and pull again", e);
    }
  }

  /** See {@link Store#updateImages}. */
  List<ImageRecord> update(UnaryOperator<List<ImageRecord>> change) {
    try (StoreLock lock = StoreLock.acquire(layout.lockFile("images"))) {
      List<ImageRecord> updated = change.apply(new ArrayList<>(read()));
      FileTrees.writeAtomically(layout.imagesJson(),
          Json.INDENTED.writeValueAsBytes(new ImagesFile(1, updated)));
      return List.copyOf(updated);
    } catch (IOException e) {
      throw Store.failure("cannot write the image index " + layout.imagesJson(), layout.home(), e);
    }
  }
}
