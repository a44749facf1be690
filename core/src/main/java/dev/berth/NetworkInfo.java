package dev.berth;

import java.util.List;

/**
 * A user-defined network ({@code docker network ls / inspect}): containers on it reach each
 * other by name and alias, and reach outside through NAT.
 *
 * @param name its name
 * @param subnet its IPv4 subnet, e.g. {@code 10.89.3.0/24}
 * @param gateway the bridge's address, e.g. {@code 10.89.3.1}
 * @param bridge the host's bridge device
 * @param containers ids of the containers attached to it
 */
public record NetworkInfo(String name, String subnet, String gateway, String bridge,
    List<String> containers) {
  /**
   * Copies the list of containers.
   *
   * @param name its name
   * @param subnet its IPv4 subnet, e.g. {@code 10.89.3.0/24}
   * @param gateway the bridge's address, e.g. {@code 10.89.3.1}
   * @param bridge the host's bridge device
   * @param containers ids of the containers attached to it
   */
  public NetworkInfo {
    containers = List.copyOf(containers);
  }
}
