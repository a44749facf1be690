package dev.berth.internal.net;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Urandom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * User-defined networks (root only): each is a Linux bridge with its own /24 from 10.89.0.0/16
 * (avoiding every network the host routes), outbound NAT in Berth's nftables table, and an
 * /etc/hosts per container so peers reach each other by name. A container may be on several:
 * eth0 on the first (the helper wires it, with the default route), eth1 … on the others (the
 * helper at start, or {@link #connect} into a running one). Persisted in
 * BERTH_HOME/networks/&lt;name&gt;.json; every change happens under a file lock, and subnet
 * picking under a host-wide one (/run/berth/net.lock), since other BERTH_HOMEs share the host.
 * The records and their locks are {@link NetworkRecords}'s, the hosts files {@link PeerHosts}'s;
 * this class decides what each operation changes on the host and in the records.
 */
public final class Networks {
  private static final Subnet POOL = Subnet.parse("10.89.0.0/16");

  private final Path dir;
  private final NetworkRecords records;

  /** @param home BERTH_HOME; networks live in its networks/ directory */
  public Networks(Path home) {
    this.dir = home.resolve("networks");
    this.records = new NetworkRecords(dir);
  }

  /**
   * Creates a network: its bridge, subnet and NAT.
   *
   * @throws IllegalArgumentException for a bad name
   * @throws BerthException when it exists already or the host tools fail
   * @throws UnsupportedEnvironmentException when not root or ip/nft are missing
   */
  public Network create(String name) {
    return create(name, java.util.Map.of());
  }

  /**
   * Creates a network with labels, kept in its record.
   *
   * @see #create(String)
   */
  public Network create(String name, java.util.Map<String, String> labels) {
    checkName(name);
    requireRoot("create network " + name);
    HostNetwork host = new HostNetwork();
    return records.locked(() -> NetworkRecords.lockedHostWide(() -> {
      if (records.exists(name)) throw new dev.berth.ConflictException("Network " + name + " already exists; remove it first or pick another name");
      String bridge = bridgeName(name);
      if (host.linkExists(bridge)) {
        throw new BerthException("Interface " + bridge + " for network " + name + " exists already, not made by this BERTH_HOME ("
            + dir + "); remove it (ip link del " + bridge + ") or pick another name");
      }
      Subnet subnet = freeSubnet(host.usedSubnets());
      Network n = new Network(name, bridge, subnet.toString(), subnet.address(1), List.of(), labels,
          java.time.Instant.now().toString());
      host.createBridge(bridge, n.gateway(), subnet.prefix());
      try {
        host.addNat(bridge, n.subnet());
        records.save(n);
      } catch (RuntimeException e) {
        host.removeNat(bridge);
        host.deleteLink(bridge);
        throw e;
      }
      return n;
    }));
  }

  /**
   * @return the networks of this BERTH_HOME, by name. Endpoints of containers removed without a
   *     detach (an auto-remove container's monitor removes its directory) are dropped from the
   *     records here, and their names from their peers' hosts files.
   */
  public List<Network> list() {
    List<Network> all = records.readAll();
    if (all.stream().noneMatch(Networks::hasGoneEndpoints)) return all;
    return records.locked(() -> {
      List<Network> fresh = records.readAll();
      List<Network> pruned = fresh.stream().map(Networks::withoutGone).toList();
      commit(pruned.stream().filter(n -> !fresh.contains(n)).toList(), null);
      return pruned;
    });
  }

  /** @return the network, if it exists (see {@link #list()} for what is dropped from it) */
  public Optional<Network> get(String name) {
    checkName(name);
    if (!records.exists(name)) return Optional.empty();
    return list().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** Every record without the endpoints of gone containers: what the locked changes below start from. */
  private List<Network> current() {
    return records.readAll().stream().map(Networks::withoutGone).toList();
  }

  private static boolean hasGoneEndpoints(Network n) {
    return n.endpoints().stream().anyMatch(Endpoint::containerGone);
  }

  private static Network withoutGone(Network n) {
    return hasGoneEndpoints(n) ? n.withEndpoints(n.endpoints().stream().filter(e -> !e.containerGone()).toList()) : n;
  }

  /**
   * Removes a network: its NAT chain, its bridge, its record.
   *
   * @param force also detach the containers still attached (their veths are deleted)
   * @throws BerthException when containers are attached and force is false, or it does not exist
   */
  public void remove(String name, boolean force) {
    checkName(name);
    records.locked(() -> {
      Network n = require(name);
      if (!n.endpoints().isEmpty() && !force) {
        throw new dev.berth.ConflictException("Network " + name + " still has containers attached: "
            + n.endpoints().stream().map(Endpoint::containerId).toList() + "; remove them first, or force the removal");
      }
      HostNetwork host = new HostNetwork();
      n.endpoints().forEach(e -> host.deleteLink(e.veth()));
      host.removeNat(n.bridge());
      host.deleteLink(n.bridge());
      records.delete(name);
      // its containers' hosts files lose the peers they had only here
      List<Network> rest = current();
      PeerHosts.write(rest, n.endpoints().stream().map(Endpoint::containerId).collect(java.util.stream.Collectors.toSet()));
      n.endpoints().forEach(e -> PeerHosts.restoreIfAlone(e, rest));
      return null;
    });
  }

  /**
   * Attaches a container about to start: picks its address and veth name, and writes the hosts
   * files of it and of every peer (in place: running peers see the new name at once). Its
   * interface in the container is eth0, which the helper wires (see {@link Attachment}).
   *
   * @param names the names peers reach it by (its host name first, then aliases)
   * @param hostsFile the file the container will have as /etc/hosts
   * @return the attachment the helper wires (see {@link Attachment})
   * @throws BerthException when the network does not exist, is full, or the container is attached already
   */
  public Attachment attach(String name, String containerId, List<String> names, Path hostsFile) {
    return attach(name, containerId, names, hostsFile, "eth0");
  }

  /**
   * Attaches a container about to start as {@code iface} (eth1, eth2 … for its networks after
   * the first, which the helper wires without a default route).
   *
   * @see #attach(String, String, List, Path)
   */
  public Attachment attach(String name, String containerId, List<String> names, Path hostsFile, String iface) {
    checkName(name);
    requireRoot("attach a container to network " + name);
    HostNetwork host = new HostNetwork();
    return records.locked(() -> {
      Network n = require(name);
      Endpoint e = newEndpoint(n, containerId, names, hostsFile, iface);
      addEndpoint(n, e);
      return new Attachment(n.bridge(), e.veth(), e.address() + "/" + n.prefix(), n.gateway(), host.ipTool(), iface);
    });
  }

  /**
   * Connects a running container, as {@code docker network connect}: a new veth whose host end
   * goes on the bridge and whose other end becomes the first free ethN (eth1, eth2 …) in the
   * container's network namespace, with an address and no default route (that stays on the
   * network it started on). Its names go into every peer's hosts file, and the peers' into its.
   *
   * @param initPid the container's init as the host sees it: its network namespace is entered
   * @return its endpoint, with the interface it got
   * @throws BerthException when the network does not exist, is full, the container is on it
   *     already, or the host tools fail (nothing is left attached then)
   */
  public Endpoint connect(String name, String containerId, List<String> names, Path hostsFile, long initPid) {
    checkName(name);
    requireRoot("connect a container to network " + name);
    HostNetwork host = new HostNetwork();
    return records.locked(() -> {
      Network n = require(name);
      Endpoint e = newEndpoint(n, containerId, names, hostsFile, freeInterface(initPid));
      host.plugVeth(n.bridge(), e.veth(), initPid, e.iface(), e.address() + "/" + n.prefix());
      try {
        addEndpoint(n, e);
      } catch (RuntimeException failed) {
        host.deleteLink(e.veth());
        throw failed;
      }
      return e;
    });
  }

  private Endpoint newEndpoint(Network n, String containerId, List<String> names, Path hostsFile, String iface) {
    if (n.endpoints().stream().anyMatch(e -> e.containerId().equals(containerId))) {
      throw new dev.berth.ConflictException("Container " + containerId + " is already connected to network " + n.name());
    }
    return new Endpoint(containerId, names, freeAddress(n), "vb" + HexFormat.of().formatHex(randomBytes(6)),
        hostsFile.toString(), iface);
  }

  private void addEndpoint(Network n, Endpoint e) {
    List<Endpoint> all = new ArrayList<>(n.endpoints());
    all.add(e);
    commit(List.of(n.withEndpoints(all)), null);
  }

  /** The first ethN the container's network namespace does not have (read from /proc/PID/net/dev). */
  private static String freeInterface(long pid) {
    String dev;
    try {
      dev = Files.readString(Path.of("/proc/" + pid + "/net/dev"));
    } catch (IOException e) {
      throw new BerthException("Cannot read the interfaces of the container whose process is " + pid
          + " (is it still running?): " + e.getMessage(), e);
    }
    java.util.Set<String> present = new java.util.HashSet<>();
    for (String line : dev.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) present.add(line.substring(0, colon).strip());
    }
    for (int i = 0; ; i++) {
      if (!present.contains("eth" + i)) return "eth" + i;
    }
  }

  /**
   * Detaches a container from every network it is on: deletes its veths when still there and
   * removes its names from its peers' hosts files. Nothing happens when it is on none.
   */
  public void detach(String containerId) {
    records.locked(() -> {
      List<Network> changed = new ArrayList<>();
      HostNetwork host = null;
      for (Network n : current()) {
        List<Endpoint> rest = n.endpoints().stream().filter(e -> !e.containerId().equals(containerId)).toList();
        if (rest.size() == n.endpoints().size()) continue;
        if (host == null) host = new HostNetwork();
        HostNetwork h = host;
        n.endpoints().stream().filter(e -> e.containerId().equals(containerId)).forEach(e -> h.deleteLink(e.veth()));
        changed.add(n.withEndpoints(rest));
      }
      if (!changed.isEmpty()) commit(changed, null);
      return null;
    });
  }

  /**
   * Disconnects a container from one network, as {@code docker network disconnect}: deletes
   * its veth (its interface in the container goes with it) and rewrites the hosts files.
   *
   * @return whether it was on the network (a container not running has no endpoint)
   * @throws BerthException when the network does not exist
   */
  public boolean disconnect(String name, String containerId) {
    checkName(name);
    return records.locked(() -> {
      Network n = require(name);
      List<Endpoint> mine = n.endpoints().stream().filter(e -> e.containerId().equals(containerId)).toList();
      if (mine.isEmpty()) return false;
      HostNetwork host = new HostNetwork();
      mine.forEach(e -> host.deleteLink(e.veth()));
      commit(List.of(n.withEndpoints(n.endpoints().stream().filter(e -> !mine.contains(e)).toList())),
          java.util.Set.of(containerId));
      PeerHosts.restoreIfAlone(mine.get(0), current());
      return true;
    });
  }

  /**
   * Replaces a renamed container's old name by its new one among the names its peers reach it
   * by, on every network it is on, and rewrites the hosts files (in place: running peers see
   * the new name at once). Nothing happens when it is on none.
   */
  public void rename(String containerId, String oldName, String newName) {
    records.locked(() -> {
      List<Network> changed = new ArrayList<>();
      for (Network n : current()) {
        if (n.endpoints().stream().noneMatch(e -> e.containerId().equals(containerId))) continue;
        List<Endpoint> all = n.endpoints().stream().map(e -> !e.containerId().equals(containerId) ? e
            : new Endpoint(e.containerId(), e.names().stream().map(x -> x.equals(oldName) ? newName : x).distinct().toList(),
                e.address(), e.veth(), e.hostsFile(), e.iface())).toList();
        changed.add(n.withEndpoints(all));
      }
      if (!changed.isEmpty()) commit(changed, null);
      return null;
    });
  }

  /**
   * Saves the changed networks, then rewrites the hosts files of every container on them (and
   * of {@code alsoRewrite}, containers that left them), from every network's record: a
   * container on two networks has one /etc/hosts with the peers of both. Called under the lock.
   */
  private void commit(List<Network> changed, java.util.Set<String> alsoRewrite) {
    changed.forEach(records::save);
    java.util.Set<String> ids = new java.util.HashSet<>(alsoRewrite == null ? java.util.Set.of() : alsoRewrite);
    changed.forEach(n -> n.endpoints().forEach(e -> ids.add(e.containerId())));
    PeerHosts.write(current(), ids);
  }

  /**
   * What the helper needs to wire a container into a network.
   *
   * @param address the container's address with prefix, like 10.89.3.2/24
   * @param iface its interface inside: eth0 for the first network, eth1 … for the others
   */
  public record Attachment(String bridge, String veth, String address, String gateway, Path ipTool, String iface) {}

  static Subnet freeSubnet(List<Subnet> used) {
    for (int i = 0; i < 256; i++) {
      Subnet candidate = new Subnet(POOL.base() + ((long) i << 8), 24);
      if (used.stream().noneMatch(candidate::overlaps)) return candidate;
    }
    throw new BerthException("No free /24 left in " + POOL + " for a new network: every one is in use on this host; remove unused networks");
  }

  private static String freeAddress(Network n) {
    Subnet s = Subnet.parse(n.subnet());
    List<String> taken = n.endpoints().stream().map(Endpoint::address).toList();
    for (int i = 2; i < (1 << (32 - s.prefix())) - 1; i++) {
      if (!taken.contains(s.address(i))) return s.address(i);
    }
    throw new BerthException("Network " + n.name() + " (" + n.subnet() + ") has no free address left");
  }

  /** "berth-" and the name when it fits a 15-character interface name, else a hash of the name. */
  static String bridgeName(String name) {
    if (name.length() <= 9 && name.matches("[a-z0-9-]+")) return "berth-" + name;
    return "berth-" + Hashes.sha256Hex(name).substring(0, 9);
  }

  static void checkName(String name) {
    if (name == null || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException("network name \"" + name + "\" is invalid: use 1-64 letters, digits, _ . or -, "
          + "starting with a letter or digit");
    }
  }

  private static void requireRoot(String what) {
    if (!Linux.isRoot()) {
      throw new UnsupportedEnvironmentException("Cannot " + what + ": user-defined networks need root (bridges, veths "
          + "and NAT are host-wide); rootless containers can use the private network with published ports");
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    Urandom.nextBytes(b);
    return b;
  }

  /** Under the lock: the network's record without gone containers. */
  private Network require(String name) {
    return current().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(() -> new dev.berth.NotFoundException(
        "No such network: " + name + " does not exist in " + dir + "; create it first (networks: "
            + records.readAll().stream().map(Network::name).toList() + ")"));
  }
}
