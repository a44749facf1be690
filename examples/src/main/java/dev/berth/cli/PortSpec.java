package dev.berth.cli;

import dev.berth.PortMapping;

/** Docker's {@code -p [ip:][hostPort:]containerPort[/tcp|udp]}; no host IP means 0.0.0.0. */
final class PortSpec {
  private PortSpec() {}

  /** @throws CliException (exit 125) naming the spec and the accepted forms */
  static PortMapping parse(String spec) {
    String ports = spec;
    String protocol = "tcp";
    int slash = spec.lastIndexOf('/');
    if (slash >= 0) {
      ports = spec.substring(0, slash);
      protocol = spec.substring(slash + 1);
    }
    int last = ports.lastIndexOf(':');
    String container = ports.substring(last + 1);
    String rest = last < 0 ? "" : ports.substring(0, last);
    int hostColon = rest.lastIndexOf(':');
    String host = hostColon < 0 ? rest : rest.substring(hostColon + 1);
    String ip = hostColon < 0 ? "0.0.0.0" : rest.substring(0, hostColon).replaceAll("^\\[|]$", "");
    try {
      return new PortMapping(ip.isEmpty() ? "0.0.0.0" : ip, host.isEmpty() ? 0 : number(host),
          number(container), protocol);
    } catch (IllegalArgumentException e) {
      throw new CliException(125, "invalid port specification \"" + spec + "\": " + e.getMessage()
          + "; use [ip:][hostPort:]containerPort[/tcp|udp], e.g. 8080:80 or 127.0.0.1::5432");
    }
  }

  private static int number(String port) {
    if (!port.matches("\\d{1,5}")) {
      throw new IllegalArgumentException("'" + port + "' is not a port number (ranges are not"
          + " supported)");
    }
    return Integer.parseInt(port);
  }
}
