package dev.berth;

/**
 * A published port: traffic to {@code hostIp:hostPort} reaches the container's
 * {@code containerPort}.
 *
 * @param hostIp the host address bound, e.g. {@code 127.0.0.1}
 * @param hostPort the host port
 * @param containerPort the port inside the container
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {

  /**
   * @param hostIp the host address to listen on, {@code 0.0.0.0} for all
   * @param hostPort the host port, 0 for a free one
   * @param containerPort the port inside the container
   * @param protocol {@code tcp} or {@code udp}
   * @throws IllegalArgumentException for ports outside 0..65535 or an unknown protocol
   */
  public PortMapping {
    if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("invalid port mapping " + hostPort + "->" + containerPort
          + ": ports must be within 1..65535 (host port 0 picks a free one)");
    }
    if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
      throw new IllegalArgumentException(
          "invalid protocol '" + protocol + "' for port " + containerPort + ": use tcp or udp");
    }
  }

  /** @return as {@code docker ps} shows it: {@code 127.0.0.1:32768->5432/tcp} */
  @Override
  public String toString() {
    return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol;
  }
}
