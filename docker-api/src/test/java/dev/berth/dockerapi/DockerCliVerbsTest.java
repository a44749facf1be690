package dev.berth.dockerapi;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.MachineLacks;
import java.nio.file.Path;

/** Docker's verbs through the real docker CLI, against Berth served from this JVM. */
class DockerCliVerbsTest extends DockerCliVerbs {
  @Override
  CliEngine start(Path dir) {
    MachineLacks.assume(Linux.isRoot(), "root: containers through the API run as root here;"
        + " rootless is covered by core's RootlessTest");
    return CliEngine.berth(dir, "busybox");
  }
}
