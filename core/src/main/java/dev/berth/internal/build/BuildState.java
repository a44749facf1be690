package dev.berth.internal.build;

import dev.berth.Digest;
import dev.berth.internal.manifest.ImageConfig;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.util.Hashes;
import java.util.ArrayList;
import java.util.List;

/**
 * An image as far as it is built: its config and its layers, base first. The config's diff_ids
 * always match the layers. Its {@link #id()} (the config digest) is what the next step's cache key
 * starts from, as Docker keys a step by its parent image.
 */
public record BuildState(ImageConfig config, List<LayerRef> layers) {

  public BuildState {
    layers = List.copyOf(layers);
  }

  /** @return the config as the exact bytes to store and hash */
  public byte[] configBytes() {
    return Manifests.toJson(config);
  }

  /** @return Docker's image id of this state */
  public Digest id() {
    return Hashes.sha256(configBytes());
  }

  /** @return the chain id of the top layer, or null when there are no layers */
  public Digest topChainId() {
    return layers.isEmpty() ? null : layers.get(layers.size() - 1).chainId();
  }

  /** @return the chain ids of the layers, base first */
  public List<Digest> chainIds() {
    return layers.stream().map(LayerRef::chainId).toList();
  }

  /** @return this state with {@code layer} added on top and its history entry */
  public BuildState withLayer(LayerRef layer, ImageConfig.History history) {
    List<LayerRef> more = new ArrayList<>(layers);
    more.add(layer);
    List<Digest> diffIds = more.stream().map(LayerRef::diffId).toList();
    return new BuildState(Configs.with(config, config.config(),
        new ImageConfig.RootFs("layers", diffIds), history), more);
  }

  /** @return this state with a new container config and an empty-layer history entry */
  public BuildState withConfig(ImageConfig.ContainerConfig cc, ImageConfig.History history) {
    return new BuildState(Configs.with(config, cc, config.rootfs(), history), layers);
  }
}
