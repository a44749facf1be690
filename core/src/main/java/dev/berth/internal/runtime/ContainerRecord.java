package dev.berth.internal.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.BerthException;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.util.RecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a container is, written at creation into {@code container.json} (and again, whole, by a
 * rename, a network connect or disconnect, and a start after a reboot); the monitor's
 * {@code state.json} says what it is doing.
 *
 * @param id 64-hex id
 * @param name unique name
 * @param image the image as the user asked for it
 * @param imageId config digest of the image
 * @param created ISO-8601 creation time
 * @param argv the process's command line
 * @param env the process's environment
 * @param workingDir working directory
 * @param user the User string
 * @param hostname the hostname
 * @param labels labels
 * @param layers chain ids of the image's layers, bottom first
 * @param tty whether it has a terminal
 * @param stdinOpen whether stdin stays open
 * @param autoRemove whether it is removed when it exits
 * @param bootId the kernel boot id when it was started: a different one means it cannot run
 * @param network the network it was asked to join (see {@code RunOptions.network()})
 * @param mounts its binds, volumes and tmpfs mounts, parents before children; a volume named
 *     here is in use, so it cannot be removed
 * @param userNamespace {@code NONE}, {@code SINGLE} or {@code FULL_RANGE} (HostInfo.UserNamespace)
 * @param rootfs how its root file system is made (HostInfo.RootfsMode)
 * @param options every option it was created with, what each start reads; null in a record
 *     written before Berth kept them (see {@link #runOptions()})
 * @param networks the user-defined networks it is on, in the order it joined them (the one it
 *     was created with first, then those connected later); a start wires them all. Null in a
 *     record written before connecting existed: see {@link #userNetworks()}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    String id,
    String name,
    String image,
    String imageId,
    String created,
    List<String> argv,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    Map<String, String> labels,
    List<String> layers,
    boolean tty,
    boolean stdinOpen,
    boolean autoRemove,
    String bootId,
    String network,
    List<Mount> mounts,
    String userNamespace,
    String rootfs,
    StoredOptions options,
    List<NetworkRef> networks) {

  public ContainerRecord {
    networks = networks == null ? null : List.copyOf(networks);
    argv = List.copyOf(argv);
    env = List.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    layers = List.copyOf(layers);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
  }

  /**
   * One mount as recorded: {@code type} is bind, volume or tmpfs; {@code source} the host path
   * of a bind or the name of a volume; {@code options} a tmpfs's mount data.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(String type, String source, String target, boolean readOnly,
      String options) {}

  /**
   * A user-defined network a container is on.
   *
   * @param name the network's name
   * @param aliases its names there besides its host name and container name
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record NetworkRef(String name, List<String> aliases) {
    public NetworkRef {
      java.util.Objects.requireNonNull(name, "name");
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
  }

  /**
   * @return the user-defined networks it is on, in the order it joined them; for a record
   *     without the list, the network it was created with when that is a user-defined one
   */
  public List<NetworkRef> userNetworks() {
    if (networks != null) {
      return networks;
    }
    if (network == null || !(dev.berth.NetworkMode.parse(network) instanceof dev.berth.NetworkMode.UserDefined u)) {
      return List.of();
    }
    return List.of(new NetworkRef(u.name(), options == null ? List.of() : options.networkAliases()));
  }

  /** @return this record on these user-defined networks */
  public ContainerRecord withNetworks(List<NetworkRef> list) {
    return new ContainerRecord(id, name, image, imageId, created, argv, env, workingDir, user,
        hostname, labels, layers, tty, stdinOpen, autoRemove, bootId, network, mounts,
        userNamespace, rootfs, options, list);
  }

  /** @return this record under another name */
  public ContainerRecord withName(String newName) {
    return new ContainerRecord(id, newName, image, imageId, created, argv, env, workingDir, user,
        hostname, labels, layers, tty, stdinOpen, autoRemove, bootId, network, mounts,
        userNamespace, rootfs, options, networks);
  }

  /** @return this record as started after a reboot: its boot id is this boot's */
  public ContainerRecord withBootId(String newBootId) {
    return new ContainerRecord(id, name, image, imageId, created, argv, env, workingDir, user,
        hostname, labels, layers, tty, stdinOpen, autoRemove, newBootId, network, mounts,
        userNamespace, rootfs, options, networks);
  }

  /**
   * @return the options it was created with; for a record without them (an older Berth), what
   *     the record still says: labels, tty, stdin, auto-remove, network, detached
   */
  public dev.berth.RunOptions runOptions() {
    if (options != null) {
      return options.toRunOptions();
    }
    dev.berth.RunOptionsBuilder b = dev.berth.RunOptions.builder().tty(tty).stdinOpen(stdinOpen)
        .autoRemove(autoRemove).detach(true);
    labels.forEach(b::label);
    if (network != null) {
      b.network(network);
    }
    return b.build();
  }

  /** @return whether this container mounts the volume {@code name} */
  public boolean usesVolume(String name) {
    return mounts.stream().anyMatch(m -> m.type().equals("volume") && m.source().equals(name));
  }

  public void write(ContainerFiles files) {
    try {
      // Not synced: a container record lost to a power cut is a container that never ran.
      FileTrees.writeAtomically(files.record(), RecordJson.write(this, true), false);
    } catch (IOException e) {
      throw new BerthException("cannot write the container record " + files.record() + ": " + e, e);
    }
  }

  /** @return the record, or empty when the directory has none (a container being created) */
  public static Optional<ContainerRecord> read(ContainerFiles files) {
    try {
      return Optional.of(RecordJson.read(Files.readAllBytes(files.record()), ContainerRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new BerthException("the container record " + files.record() + " is unreadable: "
          + e.getMessage() + "; remove the directory " + files.dir() + " to forget the container",
          e);
    }
  }

  /** @return the running kernel's boot id, to tell a reboot apart from a live container */
  public static String currentBootId() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
