package dev.berth.testcontainers;

import java.net.URI;
import org.testcontainers.dockerclient.DockerClientProviderStrategy;
import org.testcontainers.dockerclient.TransportConfig;

/**
 * The tests' way to run the same Testcontainers tests on podman's API service: applicable with
 * {@code -Dberth.it.engine=podman}, and then above {@link BerthClientProviderStrategy}, which
 * shows that the Berth strategy gives way to a higher one. Mapped ports are on localhost.
 */
public final class PodmanServiceStrategy extends DockerClientProviderStrategy {
  @Override
  public String getDescription() {
    return "podman system service (tests)";
  }

  @Override
  protected boolean isApplicable() {
    return Engines.isPodman();
  }

  @Override
  protected boolean isPersistable() {
    return false;
  }

  @Override
  protected int getPriority() {
    return BerthClientProviderStrategy.PRIORITY + 1;
  }

  @Override
  public TransportConfig getTransportConfig() {
    Engines.setUp();
    return TransportConfig.builder().dockerHost(URI.create(PodmanService.dockerHost())).build();
  }

  @Override
  public synchronized String getDockerHostIpAddress() {
    return "localhost";
  }
}
