package dev.berth.internal.net;

import dev.berth.BerthException;
import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * User-defined networks (root only): each is a Linux bridge with its own /24 from 10.89.0.0/16
 * (avoiding every network the host routes), outbound NAT in Berth's nftables table, and an
 * /etc/hosts per container so peers reach each other by name. Persisted in
 * BERTH_HOME/networks/&lt;name&gt;.json; every change happens under a file lock, and subnet
 * picking under a host-wide one (/run/berth/net.lock), since other BERTH_HOMEs share the host.
 */
public final class Networks {
  private static final Subnet POOL = Subnet.parse("10.89.0.0/16");
  private static final Path HOST_LOCK = Path.of("/run/berth/net.lock");
  private static final ReentrantLock IN_PROCESS = new ReentrantLock(); // a JVM cannot flock a file twice
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  /** @param home BERTH_HOME; networks live in its networks/ directory */
  public Networks(Path home) {
    this.dir = home.resolve("networks");
  }

  /**
   * Creates a network: its bridge, subnet and NAT.
   *
   * @throws IllegalArgumentException for a bad name
   * @throws BerthException when it exists already or the host tools fail
   * @throws UnsupportedEnvironmentException when not root or ip/nft are missing
   */
  public Network create(String name) {
    checkName(name);
    requireRoot("create network " + name);
    HostNetwork host = new HostNetwork();
    return locked(() -> locked(HOST_LOCK, () -> {
      if (Files.exists(file(name))) throw new BerthException("Network " + name + " already exists; remove it first or pick another name");
      String bridge = bridgeName(name);
      if (host.linkExists(bridge)) {
        throw new BerthException("Interface " + bridge + " for network " + name + " exists already, not made by this BERTH_HOME ("
            + dir + "); remove it (ip link del " + bridge + ") or pick another name");
      }
      Subnet subnet = freeSubnet(host.usedSubnets());
      Network n = new Network(name, bridge, subnet.toString(), subnet.address(1), List.of());
      host.createBridge(bridge, n.gateway(), subnet.prefix());
      try {
        host.addNat(bridge, n.subnet());
        save(n);
      } catch (RuntimeException e) {
        host.removeNat(bridge);
        host.deleteLink(bridge);
        throw e;
      }
      return n;
    }));
  }

  /** @return the networks of this BERTH_HOME, by name */
  public List<Network> list() {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".json")).map(Networks::read).sorted(
          java.util.Comparator.comparing(Network::name)).toList();
    } catch (IOException e) {
      throw new BerthException("Cannot list networks in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** @return the network, if it exists */
  public Optional<Network> get(String name) {
    checkName(name);
    return Files.exists(file(name)) ? Optional.of(read(file(name))) : Optional.empty();
  }

  /**
   * Removes a network: its NAT chain, its bridge, its record.
   *
   * @param force also detach the containers still attached (their veths are deleted)
   * @throws BerthException when containers are attached and force is false, or it does not exist
   */
  public void remove(String name, boolean force) {
    checkName(name);
    locked(() -> {
      Network n = require(name);
      if (!n.endpoints().isEmpty() && !force) {
        throw new BerthException("Network " + name + " still has containers attached: "
            + n.endpoints().stream().map(Endpoint::containerId).toList() + "; remove them first, or force the removal");
      }
      HostNetwork host = new HostNetwork();
      n.endpoints().forEach(e -> host.deleteLink(e.veth()));
      host.removeNat(n.bridge());
      host.deleteLink(n.bridge());
      delete(file(name));
      return null;
    });
  }

  /**
   * Attaches a container about to start: picks its address and veth name, and writes the hosts
   * files of it and of every peer (in place: running peers see the new name at once).
   *
   * @param names the names peers reach it by (its host name first, then aliases)
   * @param hostsFile the file the container will have as /etc/hosts
   * @return the attachment the helper wires (see {@link Attachment})
   * @throws BerthException when the network does not exist, is full, or the container is attached already
   */
  public Attachment attach(String name, String containerId, List<String> names, Path hostsFile) {
    checkName(name);
    requireRoot("attach a container to network " + name);
    HostNetwork host = new HostNetwork();
    return locked(() -> {
      Network n = require(name);
      if (n.endpoints().stream().anyMatch(e -> e.containerId().equals(containerId))) {
        throw new BerthException("Container " + containerId + " is attached to network " + name + " already");
      }
      Endpoint e = new Endpoint(containerId, names, freeAddress(n), "vb" + HexFormat.of().formatHex(randomBytes(6)),
          hostsFile.toString());
      List<Endpoint> all = new ArrayList<>(n.endpoints());
      all.add(e);
      Network updated = n.withEndpoints(all);
      writeHostsFiles(updated);
      save(updated);
      return new Attachment(n.bridge(), e.veth(), e.address() + "/" + n.prefix(), n.gateway(), host.ipTool());
    });
  }

  /**
   * Detaches a container from every network it is on: deletes its veth when still there and
   * removes its name from its peers' hosts files. Nothing happens when it is on none.
   */
  public void detach(String containerId) {
    locked(() -> {
      for (Network n : list()) {
        List<Endpoint> rest = n.endpoints().stream().filter(e -> !e.containerId().equals(containerId)).toList();
        if (rest.size() == n.endpoints().size()) continue;
        HostNetwork host = new HostNetwork();
        n.endpoints().stream().filter(e -> e.containerId().equals(containerId)).forEach(e -> host.deleteLink(e.veth()));
        Network updated = n.withEndpoints(rest);
        writeHostsFiles(updated);
        save(updated);
      }
      return null;
    });
  }

  /**
   * Replaces a renamed container's old name by its new one among the names its peers reach it
   * by, on every network it is on, and rewrites the hosts files (in place: running peers see
   * the new name at once). Nothing happens when it is on none.
   */
  public void rename(String containerId, String oldName, String newName) {
    locked(() -> {
      for (Network n : list()) {
        if (n.endpoints().stream().noneMatch(e -> e.containerId().equals(containerId))) continue;
        List<Endpoint> all = n.endpoints().stream().map(e -> !e.containerId().equals(containerId) ? e
            : new Endpoint(e.containerId(), e.names().stream().map(x -> x.equals(oldName) ? newName : x).distinct().toList(),
                e.address(), e.veth(), e.hostsFile())).toList();
        Network updated = n.withEndpoints(all);
        writeHostsFiles(updated);
        save(updated);
      }
      return null;
    });
  }

  /**
   * What the helper needs to wire a container into a network.
   *
   * @param address the container's address with prefix, like 10.89.3.2/24
   */
  public record Attachment(String bridge, String veth, String address, String gateway, Path ipTool) {}

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

  /** Every endpoint's hosts file: itself plus all its peers. A file that is gone (a stopped container) is skipped. */
  private static void writeHostsFiles(Network n) {
    for (Endpoint self : n.endpoints()) {
      List<HostsFile.Entry> peers = n.endpoints().stream().filter(e -> e != self)
          .map(e -> new HostsFile.Entry(e.address(), e.names())).toList();
      String text = HostsFile.render(self.names().get(0), new HostsFile.Entry(self.address(), self.names()), peers);
      Path file = Path.of(self.hostsFile());
      try {
        if (Files.isDirectory(file.getParent())) HostsFile.writeInPlace(file, text);
      } catch (IOException e) {
        throw new BerthException("Cannot write the hosts file " + file + " of container " + self.containerId() + ": " + e.getMessage(), e);
      }
    }
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
    RANDOM.nextBytes(b);
    return b;
  }

  private Network require(String name) {
    return get(name).orElseThrow(() -> new BerthException("Network " + name + " does not exist in " + dir
        + "; create it first (networks: " + list().stream().map(Network::name).toList() + ")"));
  }

  private Path file(String name) {
    return dir.resolve(name + ".json");
  }

  private static Network read(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), Network.class);
    } catch (IOException e) {
      throw new BerthException("Cannot read the network record " + file + ": " + e.getMessage(), e);
    }
  }

  private void save(Network n) {
    try {
      FileTrees.writeAtomically(file(n.name()), Json.MAPPER.writeValueAsBytes(n), false,
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new BerthException("Cannot write the network record of " + n.name() + " in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new BerthException("Cannot delete " + file + ": " + e.getMessage(), e);
    }
  }

  private <T> T locked(Supplier<T> body) {
    return locked(dir.resolve(".lock"), body);
  }

  /** Runs body holding an exclusive lock on lockFile (re-entrant in this JVM). */
  private static <T> T locked(Path lockFile, Supplier<T> body) {
    IN_PROCESS.lock();
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
           FileLock lock = ch.lock()) {
        return body.get();
      }
    } catch (IOException e) {
      throw new BerthException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
    } finally {
      IN_PROCESS.unlock();
    }
  }
}
