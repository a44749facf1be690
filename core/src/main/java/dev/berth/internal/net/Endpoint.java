package dev.berth.internal.net;

import java.util.Comparator;
import java.util.List;

/**
 * A container's place on a user-defined network.
 *
 * @param containerId the container it belongs to
 * @param names the names other containers on the network reach it by (host name, aliases)
 * @param address its address on the network, without prefix
 * @param veth the host end of its veth pair
 * @param hostsFile the file bind-mounted as its /etc/hosts, rewritten in place when peers come
 *     and go; its directory is the container's, so a container removed without a detach (its
 *     monitor removes an auto-remove one) is known by that directory being gone
 * @param iface its interface inside the container: eth0 for the network it started on, eth1,
 *     eth2 … for networks connected later (null in a record from before: eth0)
 */
public record Endpoint(String containerId, List<String> names, String address, String veth, String hostsFile,
    String iface) {
  /**
   * eth0 first, then eth1, eth2 … eth10 (shorter names first). A plain lambda, not
   * {@code Comparator.comparing}: the JDK's comparators are serializable lambdas, which no
   * class-data archive holds, so a cold {@code berth} would spin one at run time.
   */
  public static final Comparator<Endpoint> BY_INTERFACE = (a, b) -> a.iface().length() != b.iface().length()
      ? Integer.compare(a.iface().length(), b.iface().length()) : a.iface().compareTo(b.iface());

  public Endpoint {
    names = List.copyOf(names);
    iface = iface == null ? "eth0" : iface;
  }

  /** @return whether the container is gone: removed without being detached */
  boolean containerGone() {
    java.nio.file.Path dir = java.nio.file.Path.of(hostsFile).getParent();
    return dir == null || !java.nio.file.Files.isDirectory(dir);
  }
}
