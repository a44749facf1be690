package dev.berth.internal.engine;

import dev.berth.ContainerInfo;
import dev.berth.RunOptions;
import dev.berth.internal.cgroup.CgroupHost;
import dev.berth.internal.net.Networks;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import dev.berth.internal.runtime.HelperLauncher;
import dev.berth.internal.runtime.LaunchedContainer;
import dev.berth.internal.store.ImageRecord;
import dev.berth.internal.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Containers on disk, as the {@link Engine} and {@link ContainerHandle} ask for them. It wires
 * the parts, each the one owner of its concern, and passes each call on: making and renaming
 * ({@link ContainerCreator}), starting ({@link ContainerStarter}), reading records and states
 * ({@link ContainerStates}), acting on a running one ({@link ContainerControl}), networks
 * ({@link ContainerNetworking}), {@code cp} ({@link ContainerCopies}) and removing
 * ({@link ContainerRemover}).
 */
final class ContainerManager {
  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ContainerCreator creator;
  private final ContainerStarter starter;
  private final ContainerControl control;
  private final ContainerNetworking networking;
  private final ContainerCopies copies;
  private final ContainerRemover remover;
  private final VolumeStore volumes;

  /** @param networks null where user-defined networks are not available (rootless) */
  ContainerManager(Store store, HelperLauncher launcher, Networks networks, HostSetup setup, TreeRemover trees,
      CgroupHost cgroupHost, SparePool spares) {
    String bootId = ContainerRecord.currentBootId();
    ContainerNameIndex names = new ContainerNameIndex(store);
    ImageConfigs configs = new ImageConfigs(store);
    this.dirs = new ContainerDirs(store, trees);
    this.states = new ContainerStates(store, dirs, names, cgroupHost, networks, bootId);
    this.volumes = new VolumeStore(store, states::records);
    RootlessFiles rootlessFiles = RootlessFiles.forSetup(store, setup, trees.jobs(), launcher::helper);
    ContainerMounts mounts = new ContainerMounts(store, volumes, rootlessFiles);
    ContainerSpecs specs = new ContainerSpecs(store, setup, dirs, mounts, trees.jobs());
    this.networking = new ContainerNetworking(networks, dirs, states, configs);
    this.creator = new ContainerCreator(store, dirs, names, configs, volumes, mounts, networking, setup, bootId);
    this.starter = new ContainerStarter(dirs, states, specs, networking, names, launcher, cgroupHost, spares, bootId);
    this.control = new ContainerControl(dirs, states, specs, configs, launcher, cgroupHost);
    this.copies = new ContainerCopies(dirs, states, specs, setup, rootlessFiles);
    this.remover = new ContainerRemover(store, dirs, states, control, networking, names, volumes, cgroupHost);
  }

  // ---- creating and starting --------------------------------------------------------------

  /** Creates and starts, as {@code docker run}; a failed start of a {@code --rm} container removes it. */
  ContainerStarter.Started run(ImageRecord image, String imageName, RunOptions opts) {
    return starter.startCreated(creator.create(image, imageName, opts));
  }

  /** See {@link ContainerCreator#create}. */
  ContainerRecord create(ImageRecord image, String imageName, RunOptions opts) {
    return creator.create(image, imageName, opts);
  }

  /** See {@link ContainerStarter#start}. */
  ContainerStarter.Started start(ContainerRecord given) {
    return starter.start(given);
  }

  /** See {@link ContainerCreator#rename}. */
  ContainerRecord rename(ContainerRecord given, String newName) {
    return creator.rename(given, newName);
  }

  // ---- reading ----------------------------------------------------------------------------

  List<ContainerRecord> records() {
    return states.records();
  }

  ContainerFiles files(String id) {
    return dirs.files(id);
  }

  /** See {@link ContainerStates#info}. */
  ContainerInfo info(ContainerRecord r) {
    return states.info(r);
  }

  /** See {@link ContainerStates#list}. */
  List<ContainerInfo> list(boolean all) {
    return states.list(all);
  }

  /** See {@link ContainerStates#find}. */
  Optional<ContainerRecord> find(String idOrName) {
    return states.find(idOrName);
  }

  // ---- acting -----------------------------------------------------------------------------

  dev.berth.ContainerStats stats(ContainerRecord r) {
    return control.stats(r);
  }

  void pause(ContainerRecord r, boolean paused) {
    control.pause(r, paused);
  }

  void signal(ContainerRecord r, int signal) {
    control.signal(r, signal);
  }

  void resize(ContainerRecord r, int rows, int cols) {
    control.resize(r, rows, cols);
  }

  LaunchedContainer exec(ContainerRecord r, dev.berth.ExecOptions opts) {
    return control.exec(r, opts);
  }

  void stop(ContainerRecord r, long timeoutMillis) {
    control.stop(r, timeoutMillis);
  }

  void awaitStartedAndExited(ContainerRecord r) {
    control.awaitStartedAndExited(r);
  }

  dev.berth.ContainerTop top(ContainerRecord r) {
    return control.top(r);
  }

  ContainerRecord connect(ContainerRecord given, String network, List<String> aliases) {
    return networking.connect(given, network, aliases);
  }

  ContainerRecord disconnect(ContainerRecord given, String network, boolean force) {
    return networking.disconnect(given, network, force);
  }

  // ---- removing ---------------------------------------------------------------------------

  void remove(ContainerRecord r, boolean force) {
    remover.remove(r, force);
  }

  /** See {@link ContainerRemover#sweepHalfCreated}. */
  List<String> sweepHalfCreated() {
    return remover.sweepHalfCreated();
  }

  // ---- volumes and copies -----------------------------------------------------------------

  VolumeStore volumes() {
    return volumes;
  }

  void copyTo(ContainerRecord r, Path host, String path) {
    copies.copyTo(r, host, path);
  }

  void copyFrom(ContainerRecord r, String path, Path host) {
    copies.copyFrom(r, path, host);
  }
}
