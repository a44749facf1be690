package dev.berth.junit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.berth.Berth;
import dev.berth.NetworkMode;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import dev.berth.internal.runtime.StoredOptions;
import dev.berth.internal.util.Hashes;
import dev.berth.internal.util.Json;
import java.time.Duration;
import java.util.List;
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
  private final RunOptions options;
  private final Wait wait;
  private final Duration startupTimeout;
  private final boolean reuse;

  private Fixture(Builder b) {
    this.image = b.image;
    this.options = b.options.build();
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
    b.options = options.toBuilder();
    b.wait = wait;
    b.startupTimeout = startupTimeout;
    b.reuse = reuse;
    return b;
  }

  /** @return the image reference */
  public String image() {
    return image;
  }

  /**
   * @return how the container runs: command, environment, published ports, network, mounts,
   *     limits and every other {@link RunOptions} the definition set. Starting adds what makes it
   *     a fixture (detached, a label, removal with the JVM unless reused).
   */
  public RunOptions options() {
    return options;
  }

  /** The container ports it publishes, in the order they were added. */
  List<Integer> containerPorts() {
    return options.network().ports().stream().map(PortMapping::containerPort).distinct().toList();
  }

  /**
   * @return when the fixture is ready; when none was set, every published port listening (no
   *     ports: as soon as the process runs)
   */
  public Wait waitStrategy() {
    if (wait != null) {
      return wait;
    }
    List<Integer> ports = containerPorts();
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
   * @return a stable hex digest of everything that defines the container (the image and every
   *     run option; not the waiting), by which a reused container is found again
   */
  public String definitionHash() {
    try {
      String opts = CANONICAL.writeValueAsString(StoredOptions.from(options));
      return Hashes.sha256Hex("v2\u0000" + image + "\u0000" + opts);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot describe " + this + " to hash it", e);
    }
  }

  /** Map entries (env, labels) by key: the same definition hashes the same in every JVM. */
  private static final ObjectWriter CANONICAL =
      Json.MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @Override
  public boolean equals(Object o) {
    return o instanceof Fixture f && image.equals(f.image) && options.equals(f.options)
        && Objects.equals(wait, f.wait) && startupTimeout.equals(f.startupTimeout)
        && reuse == f.reuse;
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, options, wait, startupTimeout, reuse);
  }

  /**
   * @return e.g. {@code Fixture{postgres, ports=[5432], env=[POSTGRES_PASSWORD]}}: the image,
   *     command, ports, network and environment names (never values); the rest is in
   *     {@code options()}
   */
  @Override
  public String toString() {
    List<Integer> ports = containerPorts();
    List<String> aliases = options.network().aliases();
    NetworkMode network = options.network().mode();
    return "Fixture{" + image + (options.process().command() == null ? "" : ", command=" + options.process().command())
        + (ports.isEmpty() ? "" : ", ports=" + ports)
        + (network == NetworkMode.PRIVATE ? "" : ", network=" + network
            + (aliases.isEmpty() ? "" : " as " + aliases))
        + (options.process().env().isEmpty() ? "" : ", env=" + options.process().env().keySet())
        + (reuse ? ", reuse" : "") + "}";
  }

  /**
   * Builds a {@link Fixture}. Not thread-safe. The container's part is a {@link RunOptions}:
   * set it whole with {@link #options(RunOptions)} (mounts, limits, user, …), or piece by piece
   * with the shortcuts here; each adds to what is set.
   */
  public static final class Builder {
    private final String image;
    private RunOptionsBuilder options = RunOptions.builder();
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
     * Runs the container with these options (replacing any set before); the shortcuts below
     * then add to them.
     *
     * @param options e.g. {@code RunOptions.builder().memory(512 << 20).tmpfs("/data", 0, 01777).build()}
     * @return this builder
     */
    public Builder options(RunOptions options) {
      this.options = options.toBuilder();
      return this;
    }

    /**
     * Replaces the image's CMD.
     *
     * @param command the program and its arguments
     * @return this builder
     */
    public Builder command(String... command) {
      options.command(command);
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
      options.env(name, value);
      return this;
    }

    /**
     * Publishes TCP {@code containerPorts} on 127.0.0.1, each on a free port that
     * {@link RunningFixture#hostPort(int)} tells.
     *
     * @param containerPorts TCP ports inside the container
     * @return this builder
     * @throws IllegalArgumentException for a port outside 1..65535
     */
    public Builder publish(int... containerPorts) {
      List<Integer> present = options.build().network().ports().stream()
          .map(PortMapping::containerPort).toList();
      for (int p : containerPorts) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("cannot publish container port " + p
              + ": use 1..65535");
        }
        if (!present.contains(p)) {
          options.publish(p);
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
      options.network(network);
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
      options.networkAlias(alias);
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
     * definition (same image and run options) use it again instead of starting another,
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
     * @throws IllegalArgumentException when aliases are given without a user-defined network
     */
    public Fixture build() {
      RunOptions o = options.build();
      if (!o.network().aliases().isEmpty() && !(o.network().mode() instanceof NetworkMode.UserDefined)) {
        throw new IllegalArgumentException("network aliases " + o.network().aliases() + " need a"
            + " user-defined network: add .network(\"<name>\")");
      }
      return new Fixture(this);
    }
  }
}
