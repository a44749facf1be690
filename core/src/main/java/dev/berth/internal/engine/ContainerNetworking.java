package dev.berth.internal.engine;

import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.NetworkMode;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.net.Networks;
import dev.berth.internal.runtime.ContainerFiles;
import dev.berth.internal.runtime.ContainerRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A container's networks: its network mode as the helper's network spec at each start, {@code
 * docker network connect} and {@code disconnect}, and its place on user-defined networks as it
 * is renamed or removed.
 */
final class ContainerNetworking {
  /** Null where user-defined networks are not available (rootless). */
  private final Networks networks;
  private final ContainerDirs dirs;
  private final ContainerStates states;
  private final ImageConfigs configs;

  ContainerNetworking(Networks networks, ContainerDirs dirs, ContainerStates states, ImageConfigs configs) {
    this.networks = networks;
    this.dirs = dirs;
    this.states = states;
    this.configs = configs;
  }

  /** Docker's network options, as the helper's network spec. */
  NetworkSpec networkSpec(RunOptions opts, ContainerRecord record) {
    List<PortMapping> ports = new ArrayList<>(opts.network().ports());
    if (opts.network().publishAll()) {
      ports.addAll(publishedOnLoopback(configs.get(record.imageId(), record.image()).config().exposedPorts()));
    }
    return networkSpec(opts.network().mode(), ports, record, this::runningPid);
  }

  /** {@code --publish-all}: each exposed port ({@code 80/tcp}, {@code 53/udp}, {@code 8080}) on a free port of 127.0.0.1. */
  static List<PortMapping> publishedOnLoopback(Collection<String> exposedPorts) {
    List<PortMapping> ports = new ArrayList<>();
    for (String exposed : exposedPorts) {
      String[] portProto = exposed.split("/");
      ports.add(new PortMapping("127.0.0.1", 0, Integer.parseInt(portProto[0]),
          portProto.length > 1 ? portProto[1] : "tcp"));
    }
    return ports;
  }

  /**
   * The network mode and published ports as the helper's network spec.
   *
   * @param joinedPid the init pid of the container a {@code container:NAME} mode joins
   * @throws BerthException when ports are published on a network the container shares or lacks
   */
  static NetworkSpec networkSpec(NetworkMode net, List<PortMapping> ports, ContainerRecord record,
      ToLongFunction<String> joinedPid) {
    PortMapping[] published = ports.toArray(PortMapping[]::new);
    if (net.sharesOrLacksNetwork() && !ports.isEmpty()) {
      throw new BerthException("conflicting options: port publishing and the network mode "
          + net + "; ports can only be published on a private or user-defined network");
    }
    if (net instanceof NetworkMode.Private) {
      return NetworkSpec.privateNetwork(published).withMore(more(record, record.userNetworks()));
    }
    if (net instanceof NetworkMode.None) {
      return NetworkSpec.none();
    }
    if (net instanceof NetworkMode.Host) {
      return NetworkSpec.host();
    }
    if (net instanceof NetworkMode.JoinContainer join) {
      return NetworkSpec.joining(joinedPid.applyAsLong(join.container()));
    }
    List<ContainerRecord.NetworkRef> on = record.userNetworks();
    if (on.isEmpty()) { // disconnected from every network: lo only, as Docker leaves it
      return new NetworkSpec(NetworkSpec.Mode.NONE, null, 0, List.of(), List.of(published));
    }
    List<String> aliases = new ArrayList<>(List.of(record.name()));
    aliases.addAll(on.get(0).aliases());
    return NetworkSpec.bridge(on.get(0).name(), aliases, published).withMore(more(record, on.subList(1, on.size())));
  }

  private long runningPid(String other) {
    ContainerRecord target = states.find(other).orElseThrow(() -> new dev.berth.NotFoundException(
        "No such container: " + other + " (for --network container:" + other + ")"));
    ContainerInfo info = states.info(target);
    if (!info.isRunning()) {
      throw new BerthException("cannot join the network of container " + other
          + ": it is not running; start it first");
    }
    return info.pid();
  }

  /** The networks after the first (connected later): the helper wires them as eth1, eth2 … before the process runs. */
  private static List<NetworkSpec.More> more(ContainerRecord record, List<ContainerRecord.NetworkRef> refs) {
    return refs.stream().map(ref -> new NetworkSpec.More(ref.name(), namesOn(record, ref))).toList();
  }

  /** The names peers on a network reach the container by: host name, name, then its aliases there. */
  static List<String> namesOn(ContainerRecord r, ContainerRecord.NetworkRef ref) {
    List<String> names = new ArrayList<>(List.of(r.hostname() != null ? r.hostname() : r.id()));
    java.util.stream.Stream.concat(java.util.stream.Stream.of(r.name()), ref.aliases().stream())
        .filter(n -> !names.contains(n)).forEach(names::add);
    return names;
  }

  private Networks requireNetworks(String what) {
    if (networks == null) {
      throw new UnsupportedEnvironmentException("Cannot " + what + ": user-defined networks need root (bridges, "
          + "veths and NAT are host-wide); rootless containers can use the private network with published ports");
    }
    return networks;
  }

  /**
   * Connects the container to a user-defined network, as {@code docker network connect}: a
   * running one gets a new interface at once (see {@link Networks#connect}); a created or
   * stopped one has the network in its record and is wired when it starts, as it is after
   * every restart.
   *
   * @return the record with the network added
   * @throws BerthException when the network does not exist ("No such network"), the container
   *     is on it already, its network mode is host, none or another container's, or it was removed
   */
  ContainerRecord connect(ContainerRecord given, String network, List<String> aliases) {
    Networks nets = requireNetworks("connect container " + given.name() + " to network " + network);
    ContainerFiles files = dirs.files(given.id());
    // the start lock: no start reads the record's networks meanwhile
    return dirs.underStartLock(given, r -> {
      NetworkMode mode = networkOf(r);
      if (mode instanceof NetworkMode.Host || mode instanceof NetworkMode.None || mode instanceof NetworkMode.JoinContainer) {
        throw new BerthException("Container " + r.name() + " cannot be connected to network " + network
            + ": its network mode is " + mode + ", which has no network of its own to add to; create it on a"
            + " user-defined network (or the private one) instead");
      }
      if (nets.get(network).isEmpty()) {
        throw new dev.berth.NotFoundException("No such network: " + network + " (to connect container " + r.name()
            + "); create it first");
      }
      if (r.userNetworks().stream().anyMatch(n -> n.name().equals(network))) {
        throw new dev.berth.ConflictException("Container " + r.name() + " is already connected to network " + network);
      }
      List<ContainerRecord.NetworkRef> on = new ArrayList<>(r.userNetworks());
      ContainerRecord.NetworkRef ref = new ContainerRecord.NetworkRef(network, aliases);
      on.add(ref);
      ContainerRecord updated = r.withNetworks(on);
      ContainerInfo info = states.info(r);
      boolean plugged = false;
      if (info.isRunning()) {
        nets.connect(network, r.id(), namesOn(r, ref), files.hosts(), info.pid());
        plugged = true;
      }
      try {
        updated.write(files);
      } catch (RuntimeException e) {
        if (plugged) {
          nets.disconnect(network, r.id());
        }
        throw e;
      }
      return updated;
    });
  }

  /**
   * Disconnects the container from a user-defined network, as {@code docker network
   * disconnect}: a running one loses the interface at once, and no later start wires it.
   *
   * @param force also when the network no longer exists (the record forgets it)
   * @return the record without the network
   * @throws BerthException when the network does not exist ("No such network") and not
   *     {@code force}, the container is not on it, or it was removed
   */
  ContainerRecord disconnect(ContainerRecord given, String network, boolean force) {
    ContainerFiles files = dirs.files(given.id());
    return dirs.underStartLock(given, r -> {
      boolean exists = networks != null && networks.get(network).isPresent();
      if (!exists && !force) {
        throw new dev.berth.NotFoundException("No such network: " + network + " (to disconnect container " + r.name() + " from)");
      }
      List<ContainerRecord.NetworkRef> on = new ArrayList<>(r.userNetworks());
      boolean recorded = on.removeIf(n -> n.name().equals(network));
      boolean attached = exists && networks.disconnect(network, r.id());
      if (!recorded && !attached) {
        throw new BerthException("Container " + r.name() + " is not connected to network " + network);
      }
      ContainerRecord updated = r.withNetworks(on);
      updated.write(files);
      return updated;
    });
  }

  /**
   * Takes the container off every user-defined network (before a start again, or as it is
   * removed). Detaching takes the networks lock and reads every network: only when there is one.
   */
  void detach(ContainerRecord r) {
    if (networks != null && onUserDefinedNetwork(r)) {
      networks.detach(r.id());
    }
  }

  /** After a rename: peers on its user-defined networks reach it by the new name at once, and no longer by the old. */
  void renamed(ContainerRecord r, String newName) {
    if (networks != null && onUserDefinedNetwork(r)) {
      networks.rename(r.id(), r.name(), newName);
    }
  }

  /** The record's network as a mode: parsed from the one word it keeps (none in an old record: private). */
  static NetworkMode networkOf(ContainerRecord r) {
    return r.network() == null ? NetworkMode.PRIVATE : NetworkMode.parse(r.network());
  }

  /** Whether the container may have joined a user-defined network (an old record does not say). */
  static boolean onUserDefinedNetwork(ContainerRecord r) {
    return r.network() == null || networkOf(r) instanceof NetworkMode.UserDefined || !r.userNetworks().isEmpty();
  }
}
