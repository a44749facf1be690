package dev.berth.dockerapi;

import java.nio.file.Path;

/** The remote engine against Berth's own Docker API server, in another BERTH_HOME. */
class RemoteEngineOnBerthTest extends RemoteEngineContract {
  @Override
  CliEngine start(Path dir) {
    return CliEngine.berth(dir, "busybox");
  }
}
