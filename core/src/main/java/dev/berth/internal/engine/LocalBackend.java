package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.Digest;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.ImageRemoval;
import dev.berth.NetworkInfo;
import dev.berth.PullListener;
import dev.berth.RegistryAuth;
import dev.berth.RunOptions;
import dev.berth.SaveFormat;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.VolumeInfo;
import dev.berth.internal.net.Endpoint;
import dev.berth.internal.net.Network;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.util.Rfc3339;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The local engine behind the public API: containers in this JVM's kernel, images in its store. */
public final class LocalBackend implements Backend {
  private final Engine engine;

  public LocalBackend(Engine engine) {
    this.engine = engine;
  }

  @Override
  public ImageRecord pull(String reference, RegistryAuth auth, PullListener listener) {
    return engine.pull(reference, auth, listener);
  }

  @Override
  public void login(String registry, RegistryAuth auth) {
    engine.login(registry, auth);
  }

  @Override
  public ImageRecord image(String query) {
    return engine.image(query);
  }

  @Override
  public List<ImageRecord> images() {
    return engine.images();
  }

  @Override
  public ImageInfo inspect(ImageRecord image) {
    return engine.inspect(image);
  }

  @Override
  public ImageRecord tag(ImageRecord image, String reference) {
    return engine.tag(image, reference);
  }

  @Override
  public ImageRemoval removeImage(String query, boolean force) {
    return engine.removeImage(query, force);
  }

  @Override
  public ImageRemoval pruneImages() {
    return engine.pruneImages();
  }

  @Override
  public void unpack(ImageRecord image, Path dir) {
    engine.unpack(image, dir);
  }

  @Override
  public void save(ImageRecord image, Path target, SaveFormat format) {
    engine.save(image, target, format);
  }

  @Override
  public Digest push(ImageRecord image, String reference, RegistryAuth auth) {
    return engine.push(image, reference, auth);
  }

  @Override
  public List<ImageRecord> load(Path archive) {
    return engine.load(archive);
  }

  @Override
  public ContainerBackend run(String image, RunOptions options) {
    return engine.run(image, options, PullListener.NONE);
  }

  @Override
  public ContainerBackend create(String image, RunOptions options) {
    return engine.create(image, options, PullListener.NONE);
  }

  @Override
  public ContainerBackend start(ImageRecord image, String imageName, RunOptions options) {
    return ContainerHandle.start(engine, image, imageName, options);
  }

  @Override
  public ContainerBackend create(ImageRecord image, String imageName, RunOptions options) {
    return ContainerHandle.create(engine, image, imageName, options);
  }

  @Override
  public List<ContainerInfo> containers(boolean all) {
    return engine.containers(all);
  }

  @Override
  public ContainerBackend container(String idOrName) {
    return engine.container(idOrName);
  }

  @Override
  public List<String> pruneContainers() {
    return engine.pruneContainers();
  }

  @Override
  public NetworkInfo createNetwork(String name, Map<String, String> labels) {
    return networkInfo(engine.networks().create(name, Map.copyOf(labels)));
  }

  @Override
  public List<NetworkInfo> networks() {
    try {
      return engine.networks().list().stream().map(LocalBackend::networkInfo).toList();
    } catch (UnsupportedEnvironmentException e) {
      return List.of();
    }
  }

  @Override
  public void removeNetwork(String name, boolean force) {
    engine.networks().remove(name, force);
  }

  private static NetworkInfo networkInfo(Network n) {
    return new NetworkInfo(n.name(), n.subnet(), n.gateway(), n.bridge(),
        n.endpoints().stream().map(Endpoint::containerId).distinct().toList(),
        n.labels(), n.created() == null ? Instant.EPOCH : Rfc3339.parse(n.created()));
  }

  @Override
  public VolumeInfo createVolume(String name) {
    return engine.createVolume(name);
  }

  @Override
  public List<VolumeInfo> volumes() {
    return engine.volumes();
  }

  @Override
  public void removeVolume(String name, boolean force) {
    engine.removeVolume(name, force);
  }

  @Override
  public List<String> pruneVolumes() {
    return engine.pruneVolumes();
  }

  @Override
  public HostInfo info() {
    return engine.info();
  }

  @Override
  public Optional<Path> home() {
    return Optional.of(engine.settings().home());
  }

  @Override
  public Optional<Engine> local() {
    return Optional.of(engine);
  }

  @Override
  public void close() {
    engine.close();
  }
}
