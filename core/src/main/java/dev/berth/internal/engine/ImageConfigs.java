package dev.berth.internal.engine;

import dev.berth.Digest;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.store.Store;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Image configs the containers read (Cmd, volumes, exposed ports, STOPSIGNAL), parsed once per image. */
final class ImageConfigs {
  private final Store store;
  private final Map<String, ImageConfig> configs = new ConcurrentHashMap<>();

  ImageConfigs(Store store) {
    this.store = store;
  }

  ImageConfig get(String imageId, String imageName) {
    return configs.computeIfAbsent(imageId, id -> Manifests.parseConfig(
        store.readBlob(Digest.parse(id)), "config of " + imageName));
  }
}
