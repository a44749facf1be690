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
import dev.berth.VolumeInfo;
import dev.berth.internal.store.ImageRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the public {@code Berth}, {@code Image} and {@code Container} ask of an engine: the local
 * one ({@link LocalBackend}, this JVM's kernel and store) or a remote one over the Docker Engine
 * API ({@code internal.remote.RemoteEngine}). Each method means what the public method of the
 * same name documents; images are {@link ImageRecord}s either way (a remote engine fills what
 * its API tells).
 */
public interface Backend extends AutoCloseable {
  /** @param auth credentials for this pull only, or null for the engine's own */
  ImageRecord pull(String reference, RegistryAuth auth, PullListener listener);

  void login(String registry, RegistryAuth auth);

  /** @throws dev.berth.ImageNotFoundException when no stored image matches */
  ImageRecord image(String query);

  List<ImageRecord> images();

  ImageInfo inspect(ImageRecord image);

  ImageRecord tag(ImageRecord image, String reference);

  ImageRemoval removeImage(String query, boolean force);

  ImageRemoval pruneImages();

  void unpack(ImageRecord image, Path dir);

  void save(ImageRecord image, Path target, SaveFormat format);

  /** @return the digest of the manifest put in the registry */
  Digest push(ImageRecord image, String reference, RegistryAuth auth);

  List<ImageRecord> load(Path archive);

  /** Runs {@code image}, pulling it first when the engine does not have it. */
  ContainerBackend run(String image, RunOptions options);

  /** Creates a container of {@code image}, pulling it first when missing. */
  ContainerBackend create(String image, RunOptions options);

  /** Starts a container of a stored image, asked for as {@code imageName}. */
  ContainerBackend start(ImageRecord image, String imageName, RunOptions options);

  /** Creates a container of a stored image, asked for as {@code imageName}. */
  ContainerBackend create(ImageRecord image, String imageName, RunOptions options);

  List<ContainerInfo> containers(boolean all);

  /** @throws dev.berth.NotFoundException "No such container" naming the query */
  ContainerBackend container(String idOrName);

  List<String> pruneContainers();

  NetworkInfo createNetwork(String name, Map<String, String> labels);

  List<NetworkInfo> networks();

  void removeNetwork(String name, boolean force);

  VolumeInfo createVolume(String name);

  List<VolumeInfo> volumes();

  void removeVolume(String name, boolean force);

  List<String> pruneVolumes();

  HostInfo info();

  /** @return the BERTH_HOME of a local engine; empty for a remote one */
  Optional<Path> home();

  /** @return the local engine, for what only it can do (builds), or empty */
  Optional<Engine> local();

  @Override
  void close();
}
