package dev.berth.testimages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a resolved {@link Recipe} into an OCI image layout. */
final class ImageBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageBuilder() {}

  /** Writes the layout into {@code layoutDir}, using {@code workDir} for layer trees. */
  static void build(Recipe recipe, Path layoutDir, Path workDir) throws IOException {
    OciLayout layout = new OciLayout(layoutDir, JSON);
    List<Descriptor> manifests = new ArrayList<>();
    for (int i = 0; i < recipe.images().size(); i++) {
      Recipe.Image image = recipe.images().get(i);
      Descriptor manifest = buildImage(recipe, image, layout, workDir.resolve("image-" + i));
      manifests.add(manifest.withPlatform(image.platform()));
    }
    if (!recipe.isIndex()) {
      layout.finish(manifests.get(0));
      return;
    }
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OciLayout.INDEX);
    ArrayNode list = index.putArray("manifests");
    manifests.forEach(m -> list.add(m.toJson(JSON)));
    layout.finish(layout.addJson(OciLayout.INDEX, index));
  }

  private static Descriptor buildImage(Recipe recipe, Recipe.Image image, OciLayout layout,
      Path work) throws IOException {
    List<Path> below = new ArrayList<>();
    List<OciLayout.Layer> layers = new ArrayList<>();
    for (int n = 0; n < image.layers().size(); n++) {
      Recipe.Layer layer = image.layers().get(n);
      Path dir = Files.createDirectories(work.resolve("layer-" + n));
      LayerMaker.make(layer, dir, below, Files.createDirectories(work.resolve("scratch-" + n)));
      LayerTar tar = new LayerTar(!layer.spec().captured(), layer.spec().dirs(), below);
      layers.add(layout.addLayer(out -> tar.write(dir, out), recipe.zstd()));
      below.add(0, dir);
    }
    Descriptor config = layout.addJson(OciLayout.CONFIG, config(image, layers));
    ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2)
        .put("mediaType", OciLayout.MANIFEST);
    manifest.set("config", config.toJson(JSON));
    ArrayNode layerList = manifest.putArray("layers");
    layers.forEach(l -> layerList.add(l.descriptor().toJson(JSON)));
    return layout.addJson(OciLayout.MANIFEST, manifest);
  }

  private static ObjectNode config(Recipe.Image image, List<OciLayout.Layer> layers) {
    String created = LayerTar.FIXED_TIME.toString();
    ObjectNode config = JSON.createObjectNode()
        .put("created", created)
        .put("architecture", image.platform().architecture())
        .put("os", image.platform().os());
    if (image.platform().variant() != null) {
      config.put("variant", image.platform().variant());
    }
    config.set("config", image.config().deepCopy());
    ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.diffId()));
    ArrayNode history = config.putArray("history");
    image.layers().forEach(l -> history.addObject().put("created", created)
        .put("created_by", l.spec().createdBy()).put("comment", "berth-test-images"));
    return config;
  }
}
