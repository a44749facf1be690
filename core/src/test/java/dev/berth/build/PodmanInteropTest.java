package dev.berth.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.Berth;
import dev.berth.ImageBuilder;
import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.BuiltImages;
import dev.berth.testsupport.Commands;
import dev.berth.testsupport.Podman;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images Berth builds and pushes are pulled and run by podman, a peer that shares no code. */
class PodmanInteropTest {
  @TempDir Path dir;
  TestRegistry reg;
  Podman podman;

  @BeforeEach
  void podman() {
    assumeTrue(Linux.isRoot(), "building with RUN and running podman here needs root");
    if (!Commands.isInstalled("podman")) {
      System.out.println("PodmanInteropTest skipped: podman is not installed"
          + " (apt-get install -y podman)");
    }
    Commands.assumeInstalled("podman");
    reg = Registries.plainWith("busybox");
    podman = Podman.podman(dir.resolve("podman"));
  }

  @AfterEach
  void clean() {
    if (podman != null) {
      podman.clean();
    }
  }

  @Test
  void builderImage_pushed_runsInPodmanWithTheFilesOfCopyAndRun() throws Exception {
    String ref = reg.host() + "/interop/app:1";
    try (Berth berth = Berth.builder().home(dir.resolve("h")).registryMirror(reg.host())
        .insecureRegistry(reg.host()).build()) {
      ImageBuilder.from("busybox")
          .copy(Files.writeString(dir.resolve("msg.txt"), "copied by berth\n"), "/data/msg.txt")
          .run("sh", "-c", "echo written by run > /data/run.txt")
          .push(berth, ref);
    }

    String out = podman.run("run", "--rm", "--tls-verify=false", ref,
        "cat", "/data/msg.txt", "/data/run.txt");

    assertThat(out).isEqualTo("copied by berth\nwritten by run\n");
  }

  @Test
  void containerfileImage_pushed_runsInPodmanWithItsConfig() throws Exception {
    BuiltImages.pushed("node", reg);

    String out = podman.run("run", "--rm", "--tls-verify=false",
        reg.host() + "/library/node-built:latest", "sh", "-c", "pwd; node --version");

    assertThat(out).matches("/app\nv18\\.[0-9.]+\n");
  }
}
