package dev.berth.testimages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A recipe with {@code from} and {@code base} resolved: everything needed to build its layout.
 *
 * @param name the recipe's directory name
 * @param hash sha256 hex of the recipe's files, those of the recipes it uses, and the builder
 *     version; the cache key
 * @param zstd whether layers are compressed with zstd rather than gzip
 * @param dockerFormat whether pushes convert to Docker schema 2 media types
 * @param images one image, or several for an index
 */
record Recipe(String name, String hash, boolean zstd, boolean dockerFormat, List<Image> images) {

  Recipe {
    images = List.copyOf(images);
  }

  /** Whether the layout holds an index (several platforms) rather than one manifest. */
  boolean isIndex() {
    return images.size() > 1;
  }

  /** One image: its layers bottom first and the config's {@code config} object. */
  record Image(ImagePlatform platform, List<Layer> layers, ObjectNode config) {
    Image {
      layers = List.copyOf(layers);
    }
  }

  /** A layer and the recipe directory its {@code files} are relative to. */
  record Layer(RecipeFile.LayerSpec spec, Path recipeDir) {}
}
