package dev.berth.internal.net;

import dev.berth.PortMapping;
import java.util.List;
import java.util.Objects;

/**
 * How a container is networked: the mode, the user-defined network it joins (BRIDGE), the names
 * other containers there reach it by, and its published ports.
 *
 * @param mode see {@link Mode}
 * @param network the user-defined network's name for BRIDGE, else null
 * @param joinPid the init pid (host view) of the container whose network is joined for CONTAINER, else 0
 * @param aliases extra names on the network (BRIDGE only), besides the container's host name
 * @param ports published ports (NONE, PRIVATE, BRIDGE): served on the host by the container's monitor
 * @param more more user-defined networks (BRIDGE, PRIVATE), wired at start after the first as
 *     eth1, eth2 … (on PRIVATE from eth0), each with an address and no default route
 */
public record NetworkSpec(Mode mode, String network, long joinPid, List<String> aliases, List<PortMapping> ports,
    List<More> more) {

  /** One more user-defined network and the names the container has there (host name first). */
  public record More(String network, List<String> names) {
    public More {
      Objects.requireNonNull(network, "network");
      names = List.copyOf(names);
    }
  }

  public NetworkSpec(Mode mode, String network, long joinPid, List<String> aliases, List<PortMapping> ports) {
    this(mode, network, joinPid, aliases, ports, List.of());
  }

  /** @return this spec with more networks */
  public NetworkSpec withMore(List<More> list) {
    return new NetworkSpec(mode, network, joinPid, aliases, ports, list);
  }

  /** Where a container's network comes from. */
  public enum Mode {
    /** Its own network namespace with only lo. Published ports still work (they come in through lo). */
    NONE,
    /** The host's network namespace: the container's ports are the host's. */
    HOST,
    /**
     * Like NONE (lo, published ports through the monitor), plus outbound traffic through
     * slirp4netns when it is installed (see {@link NetworkCapabilities#slirp()}); the default.
     */
    PRIVATE,
    /** Another container's network namespace (pod style: they talk over localhost). Root only. */
    CONTAINER,
    /** A user-defined network: a bridge, an address, /etc/hosts names and outbound NAT. Root only. */
    BRIDGE
  }

  public NetworkSpec {
    Objects.requireNonNull(mode, "mode");
    aliases = List.copyOf(aliases);
    ports = List.copyOf(ports);
    more = more == null ? List.of() : List.copyOf(more);
    if (!more.isEmpty() && mode != Mode.BRIDGE && mode != Mode.PRIVATE) {
      throw new IllegalArgumentException("more networks " + more.stream().map(More::network).toList()
          + " need a network namespace with a bridge or the private network, not " + mode);
    }
    if ((mode == Mode.BRIDGE) != (network != null)) {
      throw new IllegalArgumentException(mode == Mode.BRIDGE ? "a bridge network needs a network name"
          : "network \"" + network + "\" only goes with mode BRIDGE, not " + mode);
    }
    if ((mode == Mode.CONTAINER) != (joinPid > 0)) {
      throw new IllegalArgumentException(mode == Mode.CONTAINER
          ? "joining another container's network needs its init pid (> 0), got " + joinPid
          : "a pid to join only goes with mode CONTAINER, not " + mode);
    }
    if (!aliases.isEmpty() && mode != Mode.BRIDGE) {
      throw new IllegalArgumentException("aliases " + aliases + " need a user-defined network (mode BRIDGE), not " + mode);
    }
    if (!ports.isEmpty() && (mode == Mode.HOST || mode == Mode.CONTAINER)) {
      throw new IllegalArgumentException("cannot publish ports " + ports + " with network mode " + mode
          + (mode == Mode.HOST ? ": the container's ports already are the host's" : ": publish them on the container whose network is joined"));
    }
  }

  public static NetworkSpec none() { return new NetworkSpec(Mode.NONE, null, 0, List.of(), List.of()); }

  public static NetworkSpec host() { return new NetworkSpec(Mode.HOST, null, 0, List.of(), List.of()); }

  public static NetworkSpec privateNetwork(PortMapping... ports) {
    return new NetworkSpec(Mode.PRIVATE, null, 0, List.of(), List.of(ports));
  }

  public static NetworkSpec joining(long initPid) { return new NetworkSpec(Mode.CONTAINER, null, initPid, List.of(), List.of()); }

  public static NetworkSpec bridge(String network, List<String> aliases, PortMapping... ports) {
    return new NetworkSpec(Mode.BRIDGE, network, 0, aliases, List.of(ports));
  }

  /** @return whether the container gets a network namespace of its own */
  public boolean ownNamespace() {
    return mode == Mode.NONE || mode == Mode.PRIVATE || mode == Mode.BRIDGE;
  }

  /** A published TCP port on 127.0.0.1 (host port 0: any free one). */
  public static PortMapping tcp(int hostPort, int containerPort) {
    return new PortMapping("127.0.0.1", hostPort, containerPort, "tcp");
  }

  /** A published UDP port on 127.0.0.1 (host port 0: any free one). */
  public static PortMapping udp(int hostPort, int containerPort) {
    return new PortMapping("127.0.0.1", hostPort, containerPort, "udp");
  }
}
