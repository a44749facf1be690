package dev.berth.dockerapi;

import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The terminal tests against podman's API service, on request ({@code -Dberth.peer=podman}). */
@EnabledIfSystemProperty(named = "berth.peer", matches = "podman")
class PodmanCliInteractiveTest extends DockerCliInteractiveTest {
  @Override
  CliEngine start(Path dir) {
    return CliEngine.podman(dir, "busybox");
  }
}
