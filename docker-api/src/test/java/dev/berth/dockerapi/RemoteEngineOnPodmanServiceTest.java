package dev.berth.dockerapi;

import java.nio.file.Path;

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
}
