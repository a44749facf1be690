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

  /** @return Docker's name for a container's network mode */
  public static String toDocker(dev.berth.NetworkMode mode) {
    return mode instanceof dev.berth.NetworkMode.Private ? BRIDGE : mode.toString();
  }

  /** @return Docker's name for a Berth network */
  public static String toDocker(String berthNetwork) {
    return berthNetwork == null || berthNetwork.equals("private") ? BRIDGE : berthNetwork;
  }
}
