package dev.berth.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The recipes directory: lists, reads, resolves and hashes recipes. */
final class RecipeBook {
  /** Bump when the builder's output changes for the same recipe, so caches rebuild. */
  static final String BUILDER_VERSION = "2";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;

  RecipeBook(Path root) {
    this.root = root;
  }

  /** The recipes shipped with this library (a directory in a build, extracted from a jar). */
  static RecipeBook bundled() {
    return new RecipeBook(BundledTree.of("recipes", "busybox/recipe.json"));
  }

  /** The names of all recipes, sorted. */
  List<String> names() {
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("recipe.json")))
          .map(d -> d.getFileName().toString().replace("/", ""))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new TestImageException("cannot list the recipes in " + root, e);
    }
  }

  /** Reads and resolves the recipe {@code name}. */
  Recipe recipe(String name) {
    RecipeFile file = read(name);
    RecipeFile source = file;
    String sourceName = name;
    Set<String> seen = new TreeSet<>(Set.of(name));
    while (source.images() == null) {
      if (!seen.add(source.from())) {
        throw new TestImageException("recipe '" + name + "': \"from\" loops through " + seen);
      }
      sourceName = source.from();
      source = read(sourceName);
    }
    List<Recipe.Image> images = new ArrayList<>();
    for (RecipeFile.ImageSpec spec : source.images()) {
      images.add(resolve(sourceName, spec, new TreeSet<>(Set.of(sourceName))));
    }
    return new Recipe(name, hash(name), "zstd".equals(file.compression()),
        "v2s2".equals(file.pushFormat()), images);
  }

  private Recipe.Image resolve(String owner, RecipeFile.ImageSpec spec, Set<String> seen) {
    ImagePlatform platform;
    try {
      platform = ImagePlatform.parse(spec.platform());
    } catch (IllegalArgumentException e) {
      throw new TestImageException("recipe '" + owner + "': " + e.getMessage());
    }
    List<Recipe.Layer> layers = new ArrayList<>();
    ObjectNode config = JSON.createObjectNode();
    if (spec.base() != null) {
      Recipe.Image base = baseImage(owner, spec.base(), seen);
      layers.addAll(base.layers());
      config.setAll(base.config());
    }
    spec.layers().forEach(layer -> layers.add(new Recipe.Layer(layer, root.resolve(owner))));
    if (spec.config() != null) {
      config.setAll(spec.config().deepCopy());
    }
    return new Recipe.Image(platform, layers, config);
  }

  private Recipe.Image baseImage(String owner, String base, Set<String> seen) {
    if (!seen.add(base)) {
      throw new TestImageException("recipe '" + owner + "': \"base\" loops through " + seen);
    }
    RecipeFile file = read(base);
    if (file.images() == null || file.images().size() != 1) {
      throw new TestImageException("recipe '" + owner + "': base '" + base
          + "' must define exactly one image of its own");
    }
    return resolve(base, file.images().get(0), seen);
  }

  /** Parses {@code recipes/<name>/recipe.json}, with errors naming the recipe and the fix. */
  RecipeFile read(String name) {
    Path file = root.resolve(name).resolve("recipe.json");
    if (name.isBlank() || name.contains("/") || !Files.isRegularFile(file)) {
      throw new TestImageException("no test image recipe named '" + name + "'; known recipes: "
          + names() + " (add one under src-test-images/recipes/" + name + "/recipe.json)");
    }
    try {
      return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), RecipeFile.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new TestImageException("recipe '" + name + "' (" + file + ") is invalid: "
          + rootMessage(e) + "; fix the file", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage().lines().findFirst().orElse(t.getMessage());
  }

  /**
   * sha256 of what decides the image: the builder version, the builder's own code and the tools
   * it runs ({@link BuilderFingerprint}), and every file (path, mode, content) of {@code name} and
   * the recipes it uses.
   */
  String hash(String name) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(("berth-test-images " + BUILDER_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(BuilderFingerprint.get().getBytes(StandardCharsets.UTF_8));
      for (String used : closure(name)) {
        sha.update(("recipe " + used + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path file : files(root.resolve(used))) {
          byte[] content = Files.readAllBytes(file);
          String rel = root.resolve(used).relativize(file).toString();
          String mode = Integer.toOctalString(
              (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777);
          sha.update(("file " + rel + " " + mode + " " + content.length + "\n")
              .getBytes(StandardCharsets.UTF_8));
          sha.update(content);
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new TestImageException("cannot read recipe '" + name + "' to hash it", e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code name} and every recipe it reaches through {@code from} and {@code base}, sorted. */
  private Set<String> closure(String name) {
    Set<String> all = new TreeSet<>();
    List<String> todo = new ArrayList<>(List.of(name));
    while (!todo.isEmpty()) {
      String next = todo.remove(todo.size() - 1);
      if (!all.add(next)) {
        continue;
      }
      RecipeFile file = read(next);
      if (file.from() != null) {
        todo.add(file.from());
      }
      if (file.images() != null) {
        file.images().stream().map(RecipeFile.ImageSpec::base).filter(b -> b != null)
            .forEach(todo::add);
      }
    }
    return all;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
