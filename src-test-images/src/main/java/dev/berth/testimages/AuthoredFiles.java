package dev.berth.testimages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks a built layout against its recipe: every authored file (from a layer's {@code files}
 * tree or {@code text}) is in its layer with the mode its author gave it (0755 when the source is
 * executable, else 0644) and the owner the recipe says (root unless a {@code dirs} entry says
 * otherwise). Captured layers (debootstrap, apt) keep what the tools wrote and are not checked.
 */
final class AuthoredFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthoredFiles() {}

  /** What is wrong with the authored files of recipe {@code name}'s layout; empty when right. */
  static List<String> problems(ImageCache cache, String name) {
    Recipe recipe = cache.recipes().recipe(name);
    Path layout = cache.layout(name);
    List<String> problems = new ArrayList<>();
    try {
      List<JsonNode> manifests = manifests(layout);
      if (manifests.size() != recipe.images().size()) {
        return List.of(name + ": layout has " + manifests.size() + " manifests, recipe "
            + recipe.images().size() + " images");
      }
      for (int i = 0; i < manifests.size(); i++) {
        List<Recipe.Layer> layers = recipe.images().get(i).layers();
        JsonNode blobs = manifests.get(i).get("layers");
        for (int n = 0; n < layers.size(); n++) {
          Recipe.Layer layer = layers.get(n);
          if (!layer.spec().captured()) {
            check(name, layer, entries(layout, blobs.get(n)), problems);
          }
        }
      }
    } catch (IOException e) {
      throw new TestImageException("cannot read the layout of '" + name + "' at " + layout, e);
    }
    return problems;
  }

  private static void check(String image, Recipe.Layer layer, Map<String, TarArchiveEntry> tar,
      List<String> problems) throws IOException {
    Map<String, Expected> expected = expected(layer);
    String where = image + " layer \"" + layer.spec().createdBy() + "\": ";
    expected.forEach((path, want) -> {
      TarArchiveEntry got = tar.get(path);
      if (got == null) {
        problems.add(where + path + " is missing");
        return;
      }
      int mode = got.getMode() & 07777;
      if (mode != want.mode() || got.getLongUserId() != want.uid()
          || got.getLongGroupId() != want.gid()) {
        problems.add(where + path + " is " + Integer.toOctalString(mode) + " "
            + got.getLongUserId() + ":" + got.getLongGroupId() + ", authored as "
            + Integer.toOctalString(want.mode()) + " " + want.uid() + ":" + want.gid());
      }
    });
  }

  private record Expected(int mode, long uid, long gid) {}

  /** Path in the layer (no leading slash) to what the recipe says it must be. */
  private static Map<String, Expected> expected(Recipe.Layer layer) throws IOException {
    Map<String, Expected> expected = new HashMap<>();
    RecipeFile.LayerSpec spec = layer.spec();
    if (spec.files() != null) {
      Path source = layer.recipeDir().resolve(spec.files());
      try (Stream<Path> walk = Files.walk(source)) {
        for (Path file : walk.filter(Files::isRegularFile).toList()) {
          int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
          expected.put(source.relativize(file).toString(),
              new Expected((mode & 0100) != 0 ? 0755 : 0644, 0, 0));
        }
      }
    }
    spec.text().keySet().forEach(p -> expected.put(p.replaceFirst("^/+", ""),
        new Expected(0644, 0, 0)));
    for (RecipeFile.DirSpec d : spec.dirs()) {
      String[] owner = d.owner().split(":");
      expected.put(d.path().replaceAll("^/+|/+$", "") + "/", new Expected(
          Integer.parseInt(d.mode(), 8), Long.parseLong(owner[0]), Long.parseLong(owner[1])));
    }
    return expected;
  }

  /** The image manifests of the layout, in the order the recipe lists its images. */
  private static List<JsonNode> manifests(Path layout) throws IOException {
    JsonNode top = JSON.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0);
    JsonNode doc = JSON.readTree(blob(layout, top).toFile());
    if (!OciLayout.INDEX.equals(top.path("mediaType").asText())) {
      return List.of(doc);
    }
    List<JsonNode> manifests = new ArrayList<>();
    for (JsonNode m : doc.get("manifests")) {
      manifests.add(JSON.readTree(blob(layout, m).toFile()));
    }
    return manifests;
  }

  private static Map<String, TarArchiveEntry> entries(Path layout, JsonNode descriptor)
      throws IOException {
    Map<String, TarArchiveEntry> entries = new HashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob(layout, descriptor)));
        InputStream plain = OciLayout.LAYER_ZSTD.equals(descriptor.get("mediaType").asText())
            ? new ZstdInputStream(raw) : new GZIPInputStream(raw);
        TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entries.put(e.getName(), e);
      }
    }
    return entries;
  }

  private static Path blob(Path layout, JsonNode descriptor) {
    return layout.resolve("blobs/sha256")
        .resolve(descriptor.get("digest").asText().substring("sha256:".length()));
  }
}
