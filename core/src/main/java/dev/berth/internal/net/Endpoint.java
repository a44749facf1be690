package dev.berth.internal.net;

import java.util.List;

/**
 * A container's place on a user-defined network.
 *
 * @param containerId the container it belongs to
 * @param names the names other containers on the network reach it by (host name, aliases)
 * @param address its address on the network, without prefix
 * @param veth the host end of its veth pair
 * @param hostsFile the file bind-mounted as its /etc/hosts, rewritten in place when peers come and go
 */
public record Endpoint(String containerId, List<String> names, String address, String veth, String hostsFile) {
  public Endpoint {
    names = List.copyOf(names);
  }
}
