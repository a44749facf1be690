package dev.berth;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A user-defined network ({@code docker network ls / inspect}): containers on it reach each
 * other by name and alias, and reach outside through NAT.
 *
 * <pre>{@code
 * NetworkInfo n = berth.createNetwork("backend", Map.of("team", "payments"));
 * n.labels().get("team");   // "payments", kept on disk with the network
 * }</pre>
 *
 * @param name its name
 * @param subnet its IPv4 subnet, e.g. {@code 10.89.3.0/24}
 * @param gateway the bridge's address, e.g. {@code 10.89.3.1}
 * @param bridge the host's bridge device
 * @param containers ids of the containers attached to it (running ones: a container takes its
 *     place on a network when it starts)
 * @param labels the labels it was created with
 * @param created when it was created ({@link Instant#EPOCH} for a network made by a Berth that
 *     did not record it)
 */
public record NetworkInfo(String name, String subnet, String gateway, String bridge,
    List<String> containers, Map<String, String> labels, Instant created) {
  /**
   * Copies the list of containers and the labels.
   *
   * @param name its name
   * @param subnet its IPv4 subnet
   * @param gateway the bridge's address
   * @param bridge the host's bridge device
   * @param containers ids of the containers attached to it
   * @param labels the labels it was created with
   * @param created when it was created
   */
  public NetworkInfo {
    containers = List.copyOf(containers);
    labels = Map.copyOf(labels);
    java.util.Objects.requireNonNull(created, "created");
  }
}
