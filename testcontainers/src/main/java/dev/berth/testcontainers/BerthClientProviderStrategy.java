package dev.berth.testcontainers;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.InvalidConfigurationException;
import org.testcontainers.dockerclient.TransportConfig;
import org.testcontainers.dockerclient.UnixSocketClientProviderStrategy;

/**
 * Testcontainers' Docker, served by a Berth engine inside the test JVM: with
 * {@code berth-testcontainers} on the test class path, Testcontainers finds this strategy through
 * its {@code ServiceLoader} and runs every container on Berth, no daemon and no environment
 * variable needed.
 *
 * <pre>{@code
 * // pom.xml: dev.berth:berth-testcontainers, test scope; the test is unchanged
 * try (var c = new GenericContainer<>("busybox").withCommand("sleep", "60")) {
 *   c.start();
 * }
 * }</pre>
 *
 * <p>Which engine wins: Testcontainers always tries {@code TESTCONTAINERS_HOST}/{@code DOCKER_HOST}
 * (or an existing {@code /var/run/docker.sock}) and the strategy named in
 * {@code ~/.testcontainers.properties} first, so a real Docker that is there is used. After those,
 * this strategy's priority puts it before the other socket strategies (rootless Docker, Docker
 * Desktop). {@code -Dberth.testcontainers=false} (or {@code BERTH_TESTCONTAINERS=false}) turns it
 * off.
 *
 * <p>The engine: {@code berth.home}, {@code berth.registryMirrors} and
 * {@code berth.insecureRegistries} (system properties, comma-separated lists) configure it; unset,
 * it is {@link dev.berth.Berth#defaultEngine()}, which reads {@code BERTH_HOME},
 * {@code BERTH_REGISTRY_MIRRORS} and {@code BERTH_INSECURE_REGISTRIES}. See {@link InJvmEngine}.
 */
public final class BerthClientProviderStrategy extends DockerClientProviderStrategy {
  /** Above rootless Docker, Docker Desktop and the default socket; below what the user names. */
  public static final int PRIORITY = UnixSocketClientProviderStrategy.PRIORITY + 10;

  private TransportConfig transport;

  @Override
  public String getDescription() {
    return "Berth engine in this JVM"
        + (transport == null ? "" : " (" + transport.getDockerHost() + ")");
  }

  @Override
  protected boolean isApplicable() {
    return InJvmEngine.enabled();
  }

  /** Not written to ~/.testcontainers.properties: other projects there have no Berth. */
  @Override
  protected boolean isPersistable() {
    return false;
  }

  @Override
  protected int getPriority() {
    return PRIORITY;
  }

  @Override
  public synchronized TransportConfig getTransportConfig() throws InvalidConfigurationException {
    if (transport == null) {
      String host;
      try {
        host = InJvmEngine.get().dockerHost();
      } catch (RuntimeException e) {
        // Testcontainers says only "no valid Docker environment" without an SLF4J binding
        System.getLogger("dev.berth.testcontainers").log(System.Logger.Level.WARNING,
            "cannot start the Berth engine for Testcontainers", e);
        throw new InvalidConfigurationException("cannot start the Berth engine: " + e.getMessage(),
            e);
      }
      transport = TransportConfig.builder().dockerHost(URI.create(host)).build();
    }
    return transport;
  }

  /**
   * Mapped ports are on this machine's loopback: Berth publishes on the host. Testcontainers'
   * own guess for a unix socket, when it finds {@code /.dockerenv}, is the gateway of Docker's
   * {@code bridge} network, which is right for a test inside a Docker container and wrong here.
   * {@code TESTCONTAINERS_HOST_OVERRIDE} still wins.
   */
  @Override
  public synchronized String getDockerHostIpAddress() {
    String override = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
    return override != null && !override.isBlank() ? override : "localhost";
  }
}
