package dev.berth.dockerapi;

import java.nio.file.Path;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same verbs, the same CLI, against podman's Docker-compatible API service: the peer
 * Berth is compared with (README, "Use it from Docker tools"). Run on request only, with
 * {@code -Dberth.peer=podman}: podman fails some of these by design, and it is slow to start.
 */
@EnabledIfSystemProperty(named = "berth.peer", matches = "podman")
class PodmanCliVerbsTest extends DockerCliVerbs {
  @Override
  CliEngine start(Path dir) {
    return CliEngine.podman(dir, "busybox");
  }
}
