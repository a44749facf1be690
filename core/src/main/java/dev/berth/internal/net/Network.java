package dev.berth.internal.net;

import java.util.List;
import java.util.Map;

/**
 * A user-defined network, as persisted in BERTH_HOME/networks/&lt;name&gt;.json.
 *
 * @param name the user's name for it
 * @param bridge the Linux bridge (at most 15 characters)
 * @param subnet its IPv4 network, like 10.89.3.0/24
 * @param gateway the bridge's own address: the containers' default route
 * @param endpoints the containers attached
 * @param labels the labels it was created with (none in a record from before labels were kept)
 * @param created ISO-8601 creation time, or null in a record from before it was kept
 */
public record Network(String name, String bridge, String subnet, String gateway, List<Endpoint> endpoints,
    Map<String, String> labels, String created) {
  public Network {
    endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** @return this network with the endpoints replaced */
  Network withEndpoints(List<Endpoint> list) {
    return new Network(name, bridge, subnet, gateway, list, labels, created);
  }

  /** @return the prefix length of the subnet */
  int prefix() {
    return Subnet.parse(subnet).prefix();
  }
}
