package dev.berth.dockerapi;

import dev.berth.testsupport.RemoteDiffers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * For the {@code remote-berth} and {@code remote-podman} executions (docker-api's pom): before
 * any test class loads, starts the engine named by {@value RemoteDiffers#BACKEND_PROPERTY}
 * ({@code berth}: Berth's API server in a BERTH_HOME of its own, in this JVM; {@code podman}:
 * {@code podman system service}), both with the shared test registry as docker.io mirror, and
 * points {@code berth.dockerHost} at it, so that every engine the tests build without a Docker
 * host, the default engine included, is the remote engine talking to it. Stops it after the last
 * test. Without the property (every other run) it does nothing.
 */
public final class RemoteBackendSession implements LauncherSessionListener {
  /** Every test image the remote test classes pull, pushed to the registry up front. */
  private static final String[] IMAGES = {"busybox", "postgres", "redis", "node"};

  private Path dir;
  private CliEngine engine;

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String backend = System.getProperty(RemoteDiffers.BACKEND_PROPERTY);
    if (backend == null || backend.isBlank()) {
      return;
    }
    try {
      // short: podman refuses a runroot path longer than 50 characters
      dir = Files.createTempDirectory("br-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    engine = switch (backend) {
      case "berth" -> CliEngine.berth(dir, IMAGES); // built before berth.dockerHost is set
      case "podman" -> CliEngine.podman(dir, IMAGES);
      default -> throw new IllegalArgumentException(RemoteDiffers.BACKEND_PROPERTY + "="
          + backend + " names no backend: give berth or podman");
    };
    System.setProperty("berth.dockerHost", engine.docker.host());
    System.err.println("[remote] the tests' engines are remote ones on " + backend + " at "
        + engine.docker.host());
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (engine == null) {
      return;
    }
    System.clearProperty("berth.dockerHost");
    engine.close();
    Path log = dir.resolve("podman-service.log");
    if (Files.exists(log)) { // kept for a failure's post-mortem: target/remote-podman-service.log
      try {
        Files.copy(log, Path.of("target", "remote-podman-service.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        System.err.println("[remote] could not keep " + log + ": " + e);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("[remote] could not remove " + dir + ": " + e);
    }
  }
}
