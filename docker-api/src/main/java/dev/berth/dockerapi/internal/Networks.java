package dev.berth.dockerapi.internal;

/**
 * Docker's network names and Berth's: Docker's default {@code bridge} (and {@code default}) is
 * Berth's per-container private network; {@code none}, {@code host} and {@code container:x} are
 * the same words; any other name is a user-defined network.
 */
public final class Networks {
  /** The network every Docker client expects to exist. */
  public static final String BRIDGE = "bridge";

  private Networks() {}

  /** @return Berth's network for a Docker network mode, or null for the default */
  public static String toBerth(String dockerMode) {
    if (dockerMode == null || dockerMode.isEmpty() || dockerMode.equals("default")
        || dockerMode.equals(BRIDGE)) {
      return null;
    }
    return dockerMode;
  }

  /**
   * @return the network's id as the API reports it everywhere (create, list, inspect of networks
   *     and of containers): a hash of its Berth name, so it is stable across restarts
   */
  public static String id(String berthNetwork) {
    String name = berthNetwork == null ? "private" : berthNetwork;
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(("berth-network:" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /** @return a new random 64-hex id, as Docker gives exec instances and anonymous volumes */
  public static String randomId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** @return Docker's name for a container's network mode */
  public static String toDocker(dev.berth.NetworkMode mode) {
    return mode instanceof dev.berth.NetworkMode.Private ? BRIDGE : mode.toString();
  }

  /** @return Docker's name for a Berth network */
  public static String toDocker(String berthNetwork) {
    return berthNetwork == null || berthNetwork.equals("private") ? BRIDGE : berthNetwork;
  }

  /**
   * Rewrites the networks a create request names by id (as Testcontainers and docker-java do:
   * {@code NetworkMode} and the {@code EndpointsConfig} keys hold the id that network create
   * returned) to the Berth names they stand for; names and unknown ids are left as they are.
   */
  static void idsToNames(dev.berth.Berth berth, com.fasterxml.jackson.databind.JsonNode body) {
    com.fasterxml.jackson.databind.JsonNode host = body.path("HostConfig");
    String mode = Json.text(host, "NetworkMode");
    if (host instanceof com.fasterxml.jackson.databind.node.ObjectNode o && mode != null) {
      o.put("NetworkMode", nameOf(berth, mode));
    }
    if (body.path("NetworkingConfig").path("EndpointsConfig")
        instanceof com.fasterxml.jackson.databind.node.ObjectNode endpoints) {
      var renamed = Json.object();
      endpoints.fields().forEachRemaining(e -> renamed.set(nameOf(berth, e.getKey()), e.getValue()));
      endpoints.removeAll();
      endpoints.setAll(renamed);
    }
  }

  private static String nameOf(dev.berth.Berth berth, String idOrName) {
    if (idOrName.length() < 12 || !idOrName.matches("[0-9a-f]+")) {
      return idOrName;
    }
    for (dev.berth.NetworkInfo n : berth.networks()) {
      if (n.name().equals(idOrName)) {
        return idOrName;
      }
    }
    for (dev.berth.NetworkInfo n : berth.networks()) {
      if (id(n.name()).startsWith(idOrName)) {
        return n.name();
      }
    }
    return idOrName;
  }
}
