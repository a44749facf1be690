package dev.berth.internal.net;

import dev.berth.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The /etc/hosts of containers on user-defined networks, rewritten in place from every
 * network's record after each change, so running peers see a name come and go at once.
 */
final class PeerHosts {
  private PeerHosts() {}

  /**
   * The hosts files of the given containers: each its own address and names (on the network it
   * joined first: eth0, else its lowest interface) and its peers on every network it shares
   * with them. A file that is gone (a stopped container) is skipped; a container on no network
   * any more gets its plain hosts file (localhost and its host name) back.
   */
  static void write(List<Network> all, Set<String> containerIds) {
    for (String id : containerIds) {
      List<Network> shared = all.stream().filter(n -> n.endpoints().stream().anyMatch(e -> e.containerId().equals(id))).toList();
      List<Endpoint> own = shared.stream().flatMap(n -> n.endpoints().stream()).filter(e -> e.containerId().equals(id))
          .sorted(Endpoint.BY_INTERFACE).toList();
      if (own.isEmpty()) continue; // left every network: see detachedHosts
      Endpoint self = own.get(0);
      LinkedHashMap<String, HostsFile.Entry> peers = new LinkedHashMap<>();
      for (Network n : shared) {
        for (Endpoint e : n.endpoints()) {
          if (!e.containerId().equals(id)) peers.putIfAbsent(e.address(), new HostsFile.Entry(e.address(), e.names()));
        }
      }
      String text = HostsFile.render(self.names().get(0), new HostsFile.Entry(self.address(), self.names()),
          List.copyOf(peers.values()));
      Path file = Path.of(self.hostsFile());
      try {
        if (Files.isDirectory(file.getParent())) HostsFile.writeInPlace(file, text);
      } catch (IOException e) {
        throw new BerthException("Cannot write the hosts file " + file + " of container " + id + ": " + e.getMessage(), e);
      }
    }
  }

  /** A container that left its last network gets the hosts file it would have on none: localhost and its host name. */
  static void restoreIfAlone(Endpoint left, List<Network> all) {
    if (all.stream().anyMatch(n -> n.endpoints().stream().anyMatch(e -> e.containerId().equals(left.containerId())))) return;
    Path file = Path.of(left.hostsFile());
    try {
      if (Files.isDirectory(file.getParent())) HostsFile.writeInPlace(file, HostsFile.render(left.names().get(0), null, List.of()));
    } catch (IOException e) {
      throw new BerthException("Cannot write the hosts file " + file + " of container " + left.containerId() + ": " + e.getMessage(), e);
    }
  }
}
