package dev.berth.internal.build;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.Digest;
import dev.berth.internal.manifest.Manifests;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.store.Store;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Docker's layer cache: the state a step produced, by a key made of the state it started from
 * (the parent image id) and what the step is (its text, the hash of copied files, the build args
 * a RUN sees). An entry whose config, blobs or layer dirs are gone from the store (removed by a
 * prune) is a miss, so the step simply runs again.
 */
final class BuildCache {

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Entry(String config, List<Layer> layers) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Layer(String diffId, String chainId, String blob, long blobSize, String mediaType,
      long size) {}

  private final Store store;

  BuildCache(Store store) {
    this.store = store;
  }

  /** @return the key of {@code step} applied to {@code parent} */
  static Digest key(BuildState parent, String step) {
    return Hashes.sha256(parent.id() + "\n" + step);
  }

  Optional<BuildState> get(Digest key) {
    Path file = file(key);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      Entry e = Json.MAPPER.readValue(file.toFile(), Entry.class);
      Digest config = Digest.parse(e.config());
      List<LayerRef> layers = e.layers().stream().map(BuildCache::toRef).toList();
      if (!store.hasBlob(config) || !layers.stream().allMatch(this::present)) {
        return Optional.empty();
      }
      return Optional.of(new BuildState(Manifests.parseConfig(store.readBlob(config),
          "cached build config " + config), layers));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // a damaged entry only costs running the step again
    }
  }

  void put(Digest key, BuildState state) {
    byte[] config = state.configBytes();
    store.putBlob(Hashes.sha256(config), config);
    List<Layer> layers = state.layers().stream().map(l -> new Layer(l.diffId().toString(),
        l.chainId().toString(), l.blob().toString(), l.blobSize(), l.mediaType(), l.size()))
        .toList();
    try {
      FileTrees.writeAtomically(file(key), Json.MAPPER.writeValueAsBytes(
          new Entry(Hashes.sha256(config).toString(), layers)));
    } catch (IOException e) {
      // the build goes on; the step only runs again next time
    }
  }

  private boolean present(LayerRef l) {
    return store.hasBlob(l.blob()) && store.hasLayer(l.chainId());
  }

  private Path file(Digest key) {
    return store.layout().buildCacheDir().resolve(key.hex() + ".json");
  }

  private static LayerRef toRef(Layer l) {
    return new LayerRef(Digest.parse(l.diffId()), Digest.parse(l.chainId()),
        Digest.parse(l.blob()), l.blobSize(), l.mediaType(), l.size());
  }
}
