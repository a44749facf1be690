package dev.berth.testimages;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * The one class that knows the cache layout: {@code <root>/<name>-<recipe hash>/} is a finished
 * layout, {@code <name>-<hash>.lock} serialises builders across JVMs, and a build happens in
 * {@code .tmp-<name>-<hash>-<random>/} and is renamed into place, so readers see all or nothing.
 */
final class ImageCache {
  private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path root;
  private final RecipeBook recipes;

  ImageCache(Path root, RecipeBook recipes) {
    this.root = root;
    this.recipes = recipes;
  }

  /** {@code $BERTH_TEST_IMAGE_CACHE}, else /var/cache/berth-test-images for root, else ~/.cache. */
  static Path defaultRoot() {
    String configured = System.getenv("BERTH_TEST_IMAGE_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return LayerMaker.isRoot() ? Path.of("/var/cache/berth-test-images")
        : Path.of(System.getProperty("user.home"), ".cache", "berth-test-images");
  }

  RecipeBook recipes() {
    return recipes;
  }

  /** The layout of recipe {@code name}, built first if this recipe version is not cached. */
  Path layout(String name) {
    Recipe recipe = recipes.recipe(name);
    String key = key(recipe);
    Path target = root.resolve(key);
    if (isComplete(target)) {
      return target;
    }
    // FileChannel.lock is per JVM process, so threads of one JVM queue on a monitor first
    synchronized (JVM_LOCKS.computeIfAbsent(target, t -> new Object())) {
      try {
        Files.createDirectories(root);
        try (FileChannel channel = FileChannel.open(root.resolve(key + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock()) {
          if (!isComplete(target)) {
            build(recipe, key, target);
          }
        }
      } catch (IOException e) {
        throw new TestImageException("cannot build test image '" + name + "' in " + root
            + ": " + e.getMessage() + " (set BERTH_TEST_IMAGE_CACHE to a writable directory)", e);
      }
    }
    return target;
  }

  /** {@code <name>-<hash>}: the directory name of the layout of {@code name}'s current recipe. */
  String key(String name) {
    return key(recipes.recipe(name));
  }

  private static String key(Recipe recipe) {
    return recipe.name() + "-" + recipe.hash().substring(0, 32);
  }

  private static boolean isComplete(Path layout) {
    return Files.isRegularFile(layout.resolve("index.json"));
  }

  private void build(Recipe recipe, String key, Path target) throws IOException {
    sweepAbandonedBuilds(key);
    Path tmp = Files.createDirectories(root.resolve(".tmp-" + key + "-" + UUID.randomUUID()));
    try {
      Path layout = tmp.resolve("layout");
      ImageBuilder.build(recipe, layout, tmp.resolve("work"));
      Files.move(layout, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Trees.delete(tmp);
    }
  }

  /** Builds of this key killed mid-way; safe to remove because we hold the key's lock. */
  private void sweepAbandonedBuilds(String key) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      entries.filter(p -> p.getFileName().toString().startsWith(".tmp-" + key + "-"))
          .forEach(Trees::delete);
    }
  }
}
