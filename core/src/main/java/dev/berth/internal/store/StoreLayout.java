package dev.berth.internal.store;

import dev.berth.Digest;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one class that knows where things live under BERTH_HOME. Everything else asks it for
 * paths.
 *
 * <pre>
 * blobs/sha256/&lt;hex&gt;          manifests, configs, compressed layers
 * layers/&lt;chain-hex&gt;/diff/     unpacked layer contents (an overlay lower dir)
 * layers/&lt;chain-hex&gt;/layer.json metadata of that layer
 * images.json                  image records, replaced atomically under a lock
 * containers/&lt;id&gt;/            record, state, logs, overlay upper/work dirs
 * volumes/&lt;name&gt;/         volume.json (record) and _data/ (its files)
 * locks/                       lock files
 * tmp/&lt;session&gt;/               staging, one dir per open store; swept when its owner is gone
 * build-cache/&lt;key-hex&gt;.json    the image state a build step produced, by the step's cache key
 * </pre>
 *
 * @param home the root directory
 */
public record StoreLayout(Path home) {

  public StoreLayout {
    home = home.toAbsolutePath().normalize();
  }

  /**
   * The default home: {@code $BERTH_HOME}; else {@code /var/lib/berth} for root; else
   * {@code $XDG_DATA_HOME/berth}, else {@code ~/.local/share/berth}.
   */
  public static Path defaultHome(Map<String, String> env, boolean root) {
    String explicit = env.get("BERTH_HOME");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    if (root) {
      return Path.of("/var/lib/berth");
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "berth");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "berth");
  }

  public Path blobsDir() {
    return home.resolve("blobs");
  }

  public Path blob(Digest digest) {
    return blobsDir().resolve(digest.algorithm()).resolve(digest.hex());
  }

  /**
   * Where the digest of {@code plain}'s gzip form is noted, once a push has made it: a text file
   * of one line, {@code sha256:…} ({@link Store#compressedForm}).
   */
  public Path compressedForm(Digest plain) {
    return compressedFormsDir().resolve(plain.hex());
  }

  public Path compressedFormsDir() {
    return blobsDir().resolve("compressed");
  }

  public Path layersDir() {
    return home.resolve("layers");
  }

  public Path layerDir(Digest chainId) {
    return layersDir().resolve(chainId.hex());
  }

  /** The directory holding the layer's files: what overlayfs gets as a lower dir. */
  public Path layerDiff(Digest chainId) {
    return layerDir(chainId).resolve("diff");
  }

  /** Name, in a layer dir, of the owners a rootless copy-mode store could not set (see layerOwners). */
  public static final String LAYER_OWNERS = "owners";

  /**
   * Rootless in copy mode: the owners of the layer's files that are not the user, kept beside
   * the files (which stay the user's, so the user can read them to copy them).
   */
  public Path layerOwners(Digest chainId) {
    return layerDir(chainId).resolve(LAYER_OWNERS);
  }

  public Path layerMeta(Digest chainId) {
    return layerDir(chainId).resolve("layer.json");
  }

  public Path imagesJson() {
    return home.resolve("images.json");
  }

  public Path containersDir() {
    return home.resolve("containers");
  }

  public Path containerDir(String id) {
    return containersDir().resolve(id);
  }

  /**
   * Container names: one symlink per name, {@code names/<name> -> ../containers/<id>}, created
   * with O_EXCL semantics so two JVMs can never take one name.
   */
  public Path containerNamesDir() {
    return home.resolve("names");
  }

  public Path volumesDir() {
    return home.resolve("volumes");
  }

  /** One volume: its record ({@link #volumeRecord}) and its files ({@link #volumeData}). */
  public Path volumeDir(String name) {
    return volumesDir().resolve(name);
  }

  /** The directory a volume's files live in, bind-mounted into containers (as Docker's). */
  public Path volumeData(String name) {
    return volumeDir(name).resolve("_data");
  }

  public Path volumeRecord(String name) {
    return volumeDir(name).resolve("volume.json");
  }

  public Path locksDir() {
    return home.resolve("locks");
  }

  public Path lockFile(String name) {
    return locksDir().resolve(name + ".lock");
  }

  public Path tmpDir() {
    return home.resolve("tmp");
  }

  /** The build cache: one small JSON file a step, named by the step's cache key. */
  public Path buildCacheDir() {
    return home.resolve("build-cache");
  }
}
