package dev.berth.junit;

import dev.berth.Berth;
import dev.berth.internal.util.Hashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a test needs running: an immutable definition of a container fixture. Starting it
 * ({@link #start()}, or the {@link BerthFixture} extension) gives a {@link RunningFixture}; the
 * definition itself never changes and has nothing that works "only after start".
 *
 * <pre>{@code
 * static final Fixture REDIS = Fixture.builder("redis")
 *     .publish(6379)
 *     .waitingFor(Wait.forLogMessage("Ready to accept connections", 1))
 *     .build();
 * }</pre>
 *
 * <p>Equal definitions are equal values: {@link BerthFixture#shared() shared} fixtures and
 * {@linkplain Builder#reuse reused} containers are found by it.
 */
public final class Fixture {
  /** How long a fixture may take to start and become ready unless it says otherwise. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final String image;
  private final List<String> command;
  private final Map<String, String> env;
  private final List<Integer> ports;
  private final String network;
  private final List<String> networkAliases;
  private final Wait wait;
  private final Duration startupTimeout;
  private final boolean reuse;

  private Fixture(Builder b) {
    this.image = b.image;
    this.command = b.command == null ? null : List.copyOf(b.command);
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.ports = List.copyOf(b.ports);
    this.network = b.network;
    this.networkAliases = List.copyOf(b.networkAliases);
    this.wait = b.wait;
    this.startupTimeout = b.startupTimeout;
    this.reuse = b.reuse;
  }

  /**
   * @param image a reference as {@code Image.pull} takes it: {@code postgres},
   *     {@code localhost:5000/app:1}
   * @return a builder for a fixture of {@code image}
   * @throws IllegalArgumentException when the image is blank
   */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** @return a builder holding this definition, to make a variant */
  public Builder toBuilder() {
    Builder b = new Builder(image);
    b.command = command == null ? null : new ArrayList<>(command);
    b.env.putAll(env);
    b.ports.addAll(ports);
    b.network = network;
    b.networkAliases.addAll(networkAliases);
    b.wait = wait;
    b.startupTimeout = startupTimeout;
    b.reuse = reuse;
    return b;
  }

  /** @return the image reference */
  public String image() {
    return image;
  }

  /** @return the command replacing the image's CMD, or null for the image's */
  public List<String> command() {
    return command;
  }

  /** @return environment variables added to the image's, in the order they were set */
  public Map<String, String> env() {
    return env;
  }

  /** @return the container ports published on the host, each to a free host port */
  public List<Integer> ports() {
    return ports;
  }

  /** @return the network to join ({@code RunOptions.Builder#network}), or null for a private one */
  public String network() {
    return network;
  }

  /** @return extra names other containers on its user-defined network reach it by */
  public List<String> networkAliases() {
    return networkAliases;
  }

  /**
   * @return when the fixture is ready; when none was set, every published port listening (no
   *     ports: as soon as the process runs)
   */
  public Wait waitStrategy() {
    if (wait != null) {
      return wait;
    }
    return ports.isEmpty() ? null
        : Wait.allOf(ports.stream().map(Wait::forListeningPort).toArray(Wait[]::new));
  }

  /** @return how long starting, including the wait, may take */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /**
   * @return true when the container outlives the JVM and a later run with an equal definition
   *     uses it again
   */
  public boolean reuse() {
    return reuse;
  }

  /**
   * Starts the fixture with the {@linkplain Berth#defaultEngine() default engine} and waits until
   * it is ready.
   *
   * @return the running, ready fixture
   * @throws FixtureStartException when it does not start or is not ready within the startup
   *     timeout; the message has its last log lines and exit status
   * @throws dev.berth.ImageNotFoundException when the image is neither stored nor in its registry
   */
  public RunningFixture start() {
    return start(Berth.defaultEngine());
  }

  /**
   * Starts the fixture with {@code engine} and waits until it is ready.
   *
   * @param engine the engine to run it with
   * @return the running, ready fixture
   * @see #start()
   */
  public RunningFixture start(Berth engine) {
    return FixtureStarter.start(this, Objects.requireNonNull(engine, "engine"));
  }

  /**
   * @return a stable hex digest of everything that defines the container (not the waiting), by
   *     which a reused container is found again
   */
  public String definitionHash() {
    String text = String.join("\u0000", "v1", image, String.valueOf(command), env.toString(),
        ports.toString(), String.valueOf(network), networkAliases.toString());
    return Hashes.sha256Hex(text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fixture f && image.equals(f.image) && Objects.equals(command, f.command)
        && env.equals(f.env) && ports.equals(f.ports) && Objects.equals(network, f.network)
        && networkAliases.equals(f.networkAliases) && Objects.equals(wait, f.wait)
        && startupTimeout.equals(f.startupTimeout) && reuse == f.reuse;
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, command, env, ports, network, networkAliases, wait,
        startupTimeout, reuse);
  }

  /** @return e.g. {@code Fixture{postgres, ports=[5432], env=[POSTGRES_PASSWORD]}} */
  @Override
  public String toString() {
    return "Fixture{" + image + (command == null ? "" : ", command=" + command)
        + (ports.isEmpty() ? "" : ", ports=" + ports)
        + (network == null ? "" : ", network=" + network + (networkAliases.isEmpty() ? ""
            : " as " + networkAliases))
        + (env.isEmpty() ? "" : ", env=" + env.keySet()) + (reuse ? ", reuse" : "") + "}";
  }

  /** Builds a {@link Fixture}. Not thread-safe; each setter replaces the earlier value. */
  public static final class Builder {
    private final String image;
    private List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Integer> ports = new ArrayList<>();
    private String network;
    private final List<String> networkAliases = new ArrayList<>();
    private Wait wait;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
    private boolean reuse;

    private Builder(String image) {
      if (image == null || image.isBlank()) {
        throw new IllegalArgumentException("a fixture needs an image, e.g."
            + " Fixture.builder(\"postgres\")");
      }
      this.image = image;
    }

    /**
     * Replaces the image's CMD.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public Builder command(String... command) {
      this.command = Arrays.asList(command.clone());
      return this;
    }

    /**
     * Sets one environment variable.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     * @throws IllegalArgumentException for an empty name or one containing {@code =}
     */
    public Builder env(String name, String value) {
      if (name == null || name.isEmpty() || name.contains("=")) {
        throw new IllegalArgumentException("invalid environment variable name '" + name
            + "': it must be non-empty and contain no '='");
      }
      env.put(name, Objects.requireNonNull(value, "value of " + name));
      return this;
    }

    /**
     * Publishes TCP {@code containerPorts} on the host, each on a free port that
     * {@link RunningFixture#hostPort(int)} tells.
     *
     * @param containerPorts TCP ports inside the container
     * @return this builder
     * @throws IllegalArgumentException for a port outside 1..65535
     */
    public Builder publish(int... containerPorts) {
      for (int p : containerPorts) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("cannot publish container port " + p
              + ": use 1..65535");
        }
        if (!ports.contains(p)) {
          ports.add(p);
        }
      }
      return this;
    }

    /**
     * Joins a user-defined network (made with {@code Berth.createNetwork}), where other fixtures
     * reach this one by its aliases.
     *
     * @param network the network's name
     * @return this builder
     * @throws IllegalArgumentException for a blank name
     */
    public Builder network(String network) {
      if (network == null || network.isBlank()) {
        throw new IllegalArgumentException("a fixture's network needs a name, e.g. the one"
            + " Berth.createNetwork(\"tests\") made");
      }
      this.network = network;
      return this;
    }

    /**
     * Adds a name other containers on the fixture's network reach it by, e.g. {@code db}.
     *
     * @param alias the name, unique on the network
     * @return this builder
     * @throws IllegalArgumentException for a blank alias
     */
    public Builder networkAlias(String alias) {
      if (alias == null || alias.isBlank()) {
        throw new IllegalArgumentException("a network alias must not be blank");
      }
      networkAliases.add(alias);
      return this;
    }

    /**
     * Sets when the fixture counts as ready (default: its published ports listening).
     *
     * @param wait the readiness check, e.g. {@code Wait.forLogMessage(".*ready.*", 1)}
     * @return this builder
     */
    public Builder waitingFor(Wait wait) {
      this.wait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /**
     * Sets how long starting and waiting may take (default {@link #DEFAULT_STARTUP_TIMEOUT}).
     *
     * @param timeout the time limit for starting and waiting
     * @return this builder
     * @throws IllegalArgumentException when it is not positive
     */
    public Builder startupTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("startup timeout " + timeout + " must be positive");
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Keeps the container running after the JVM exits, and lets a later start of an equal
     * definition (same image, command, env and ports) use it again instead of starting another,
     * like Testcontainers' reusable containers. Its state carries over between runs; remove it
     * with {@code Containers.get(name).remove(true)} when done.
     *
     * @param reuse true to keep and reuse the container
     * @return this builder
     */
    public Builder reuse(boolean reuse) {
      this.reuse = reuse;
      return this;
    }

    /**
     * @return the immutable definition
     * @throws IllegalArgumentException when aliases are given without a network
     */
    public Fixture build() {
      if (!networkAliases.isEmpty() && network == null) {
        throw new IllegalArgumentException("network aliases " + networkAliases + " need a"
            + " user-defined network: add .network(\"<name>\")");
      }
      return new Fixture(this);
    }
  }
}
