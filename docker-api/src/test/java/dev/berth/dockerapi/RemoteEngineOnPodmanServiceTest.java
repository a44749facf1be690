package dev.berth.dockerapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The remote engine against podman's API service ({@code podman system service}). */
class RemoteEngineOnPodmanServiceTest extends RemoteEngineContract {
  @Override
  CliEngine start(Path dir) {
    return CliEngine.podman(dir, "busybox");
  }

  @Override
  boolean holdsSessions() {
    return false; // the reaper container removes a killed JVM's containers
  }

  @Override
  Path socket(Path dir) {
    return dir.resolve("podman.sock");
  }

  @Override
  String busybox(CliEngine engine) {
    return engine.registry.host() + "/library/busybox"; // insecure in its registries.conf
  }

  /**
   * Over tcp:// the client cannot know where podman's socket is on its host: the reaper asks
   * podman ({@code /libpod/info}) and mounts that one, and nothing is made at Docker's path.
   */
  @Test
  void removeWithJvm_overTcp_theReaperMountsThePodmanSocketPodmanNames() throws Exception {
    boolean dockerSocketBefore = Files.exists(Path.of("/var/run/docker.sock"));
    try (UnixToTcp tcp = new UnixToTcp(socket(dir))) {
      killedJvmsContainersAreRemoved("tcp://127.0.0.1:" + tcp.port());
    }
    assertThat(Files.exists(Path.of("/var/run/docker.sock"))).isEqualTo(dockerSocketBefore);
  }
}
