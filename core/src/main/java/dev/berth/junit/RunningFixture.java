package dev.berth.junit;

import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ExecResult;

/**
 * A started, ready fixture: what {@link Fixture#start()} returns and the {@link BerthFixture}
 * extension injects. Every method works for its whole life; {@link #close()} removes the
 * container (a {@linkplain Fixture#reuse() reused} one keeps running).
 *
 * <pre>{@code
 * try (RunningFixture redis = REDIS.start()) {
 *   Socket s = new Socket(redis.host(), redis.hostPort(6379));
 *   ...
 * }
 * }</pre>
 */
public final class RunningFixture implements AutoCloseable {
  private final Fixture fixture;
  private final Container container;
  private final boolean reused;
  private final long pid;
  private final String host;
  private final boolean local;

  /**
   * @param host where its published ports are reached (the engine's)
   * @param local true when the container runs in this machine's kernel (its /proc is ours)
   */
  RunningFixture(Fixture fixture, Container container, boolean reused, String host,
      boolean local) {
    this.fixture = fixture;
    this.container = container;
    this.reused = reused;
    this.pid = container.inspect().pid();
    this.host = host;
    this.local = local;
  }

  /** True when its init's /proc entry is on this machine (the local engine). */
  boolean local() {
    return local;
  }

  /** The container's init as the host sees it (fixed for its life), for the readiness checks. */
  long pid() {
    return pid;
  }

  /** @return the definition it was started from */
  public Fixture fixture() {
    return fixture;
  }

  /** @return the container, for everything else: inspect, stop, kill, streams */
  public Container container() {
    return container;
  }

  /**
   * @return the address to connect to its published ports: {@code 127.0.0.1} with the local
   *     engine, the engine's host with a remote one ({@link dev.berth.HostInfo#publishedPortHost()})
   */
  public String host() {
    return host;
  }

  /**
   * @param containerPort a TCP port the fixture publishes
   * @return the host port that {@code containerPort} is published on
   * @throws IllegalArgumentException when the fixture does not publish {@code containerPort}
   */
  public int hostPort(int containerPort) {
    if (!fixture.containerPorts().contains(containerPort)) {
      throw new IllegalArgumentException("fixture " + fixture.image() + " does not publish port "
          + containerPort + " (it publishes " + fixture.containerPorts() + "); add it with"
          + " Fixture.builder(...).publish(" + containerPort + ")");
    }
    return container.hostPort(containerPort);
  }

  /** @return everything the container has written to stdout and stderr so far */
  public String logs() {
    return container.logs();
  }

  /**
   * Runs a command in the container and waits for it, as {@code docker exec}.
   *
   * @param command the program and its arguments
   * @return its exit code and output
   * @throws dev.berth.ContainerStartException when the command cannot be started
   * @throws BerthException when the container is no longer running, or the thread is interrupted
   */
  public ExecResult exec(String... command) {
    try {
      return container.exec(command);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("interrupted while running " + String.join(" ", command)
          + " in fixture " + fixture.image(), e);
    }
  }

  /** @return true when a running container from an earlier run was used instead of a new one */
  public boolean wasReused() {
    return reused;
  }

  /** Removes the container, unless the fixture is {@linkplain Fixture#reuse() reused}. */
  @Override
  public void close() {
    if (!fixture.reuse()) {
      container.close();
    }
  }

  /** @return e.g. {@code postgres (happy_turing, 5432->32768)} */
  @Override
  public String toString() {
    StringBuilder ports = new StringBuilder();
    for (int p : fixture.containerPorts()) {
      ports.append(", ").append(p).append("->").append(hostPort(p));
    }
    return fixture.image() + " (" + container.name() + ports + ")";
  }
}
