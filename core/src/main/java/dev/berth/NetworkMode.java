package dev.berth;

import java.util.Objects;

/**
 * Which network a container joins, as Docker's {@code --network} words it, parsed once:
 *
 * <pre>{@code
 * NetworkMode.parse("container:db");   // JoinContainer[container=db]
 * RunOptions.builder().network(NetworkMode.NONE);
 * }</pre>
 *
 * <p>{@code toString()} gives the word back ({@code private}, {@code none}, {@code host},
 * {@code container:db}, or the network's name).
 */
public sealed interface NetworkMode {
  /** Berth's default: a network of its own, loopback, published ports, outbound access. */
  NetworkMode PRIVATE = new Private();
  /** Loopback only ({@code --network none}). */
  NetworkMode NONE = new None();
  /** The host's network ({@code --network host}). */
  NetworkMode HOST = new Host();

  /**
   * @param mode {@code private}, {@code none}, {@code host}, {@code container:<name-or-id>}, or
   *     a user-defined network's name
   * @return the network mode
   * @throws IllegalArgumentException when blank, or {@code container:} names no container
   */
  static NetworkMode parse(String mode) {
    if (mode == null || mode.isBlank()) {
      throw new IllegalArgumentException("network must be private, none, host, "
          + "container:<name-or-id> or a network name");
    }
    return switch (mode) {
      case "private" -> PRIVATE;
      case "none" -> NONE;
      case "host" -> HOST;
      default -> mode.startsWith("container:")
          ? new JoinContainer(mode.substring("container:".length()))
          : new UserDefined(mode);
    };
  }

  /** @return true for the modes that share another namespace or have none (no published ports) */
  default boolean sharesOrLacksNetwork() {
    return this instanceof None || this instanceof Host || this instanceof JoinContainer;
  }

  /** The default private network. */
  record Private() implements NetworkMode {
    @Override
    public String toString() {
      return "private";
    }
  }

  /** No network but loopback. */
  record None() implements NetworkMode {
    @Override
    public String toString() {
      return "none";
    }
  }

  /** The host's own network namespace. */
  record Host() implements NetworkMode {
    @Override
    public String toString() {
      return "host";
    }
  }

  /** The network namespace of another running container ({@code container:<name-or-id>}). */
  record JoinContainer(String container) implements NetworkMode {
    /**
     * Checks the container's name or id.
     *
     * @param container the container's name or id
     * @throws IllegalArgumentException when the container is blank
     */
    public JoinContainer {
      Objects.requireNonNull(container, "container");
      if (container.isBlank()) {
        throw new IllegalArgumentException("network container: needs a container name or id");
      }
    }

    @Override
    public String toString() {
      return "container:" + container;
    }
  }

  /** A user-defined network ({@link Berth#createNetwork}), by name. */
  record UserDefined(String name) implements NetworkMode {
    /**
     * Checks the network's name.
     *
     * @param name the network's name
     * @throws IllegalArgumentException when the name is blank or starts with {@code container:}
     */
    public UserDefined {
      Objects.requireNonNull(name, "name");
      if (name.isBlank() || name.startsWith("container:")) {
        throw new IllegalArgumentException("invalid network name '" + name + "'");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
