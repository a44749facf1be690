package dev.berth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The network concern of {@link RunOptionsBuilder}: network mode, aliases, published ports and
 * hostname; {@link #build()} makes the {@link RunOptions.Network}.
 */
final class NetworkOptionsBuilder {
  private NetworkMode mode = NetworkMode.PRIVATE;
  private final List<String> aliases = new ArrayList<>();
  private final List<PortMapping> ports = new ArrayList<>();
  private boolean publishAll;
  private String hostname;

  NetworkOptionsBuilder() {}

  NetworkOptionsBuilder(RunOptions.Network n) {
    mode = n.mode();
    aliases.addAll(n.aliases());
    ports.addAll(n.ports());
    publishAll = n.publishAll();
    hostname = n.hostname();
  }

  void mode(NetworkMode mode) {
    this.mode = Objects.requireNonNull(mode, "network");
  }

  void alias(String alias) {
    aliases.add(Objects.requireNonNull(alias));
  }

  /** Publishes {@code containerPort} (tcp) on 127.0.0.1, at {@code hostPort} or a free one (0). */
  void publishLocal(int hostPort, int containerPort) {
    publish(new PortMapping("127.0.0.1", hostPort, containerPort, "tcp"));
  }

  void publish(PortMapping mapping) {
    ports.add(Objects.requireNonNull(mapping));
  }

  void publishAll(boolean all) {
    this.publishAll = all;
  }

  void hostname(String hostname) {
    this.hostname = hostname;
  }

  RunOptions.Network build() {
    return new RunOptions.Network(mode, aliases, ports, publishAll, hostname);
  }
}
