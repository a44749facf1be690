package dev.berth.testcontainers;

import dev.berth.testsupport.Podman;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * podman's Docker-compatible API service as the peer engine: its own storage under a temp dir,
 * the containers.conf of {@link Podman}, the test images pulled from the test registry and
 * tagged as the docker.io names the tests use. Stopped, and its storage reset, at JVM exit.
 */
final class PodmanService {
  private static Path socket;

  private PodmanService() {}

  static synchronized void start(String registryHost, String... images) {
    if (socket != null) {
      return;
    }
    try {
      // short: podman refuses a run root path longer than 50 characters
      Path dir = Files.createTempDirectory("podman-");
      Podman podman = Podman.podman(dir);
      // [engine], the file's last table: an exec session's conmon waits 5 s for the API, not
      // Docker's 5 minutes, so none outlives the run
      Files.writeString(dir.resolve("containers.conf"), "exit_command_delay = 5\n",
          java.nio.file.StandardOpenOption.APPEND);
      for (String image : images) {
        podman.run("pull", "--tls-verify=false", "-q", registryHost + "/" + image + ":latest");
        podman.run("tag", registryHost + "/" + image + ":latest",
            "docker.io/library/" + image + ":latest");
      }
      Path sock = dir.resolve("podman.sock");
      List<String> argv = new ArrayList<>(List.of("podman",
          "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("runroot").toString(),
          "--storage-driver", "overlay", "--cgroup-manager=cgroupfs", "--events-backend=file",
          "system", "service", "--time=0", "unix://" + sock));
      ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(dir.resolve("service.log").toFile());
      pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
      Process service = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(service, podman, dir)));
      Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
      while (!Files.exists(sock)) {
        if (!service.isAlive() || Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("podman system service did not come up: "
              + Files.readString(dir.resolve("service.log")));
        }
        Thread.sleep(100);
      }
      socket = sock;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the service, waits for the conmon and cleanup processes of its containers (a late one
   * would set the storage up again), resets the storage and removes the directory. Best effort:
   * the JVM is exiting.
   */
  private static void stop(Process service, Podman podman, Path dir) {
    try {
      podman.run("rm", "--all", "--force", "--time", "0");
      service.destroy();
      service.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
      while (Instant.now().isBefore(deadline) && ProcessHandle.allProcesses().anyMatch(p ->
          p.info().arguments().map(a -> String.join(" ", a).contains(dir.toString()))
              .orElse(false))) {
        Thread.sleep(200);
      }
      podman.clean(); // unmounts and removes its storage
      for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
        String target = line.split(" ")[1];
        if (target.startsWith(dir + "/")) {
          new ProcessBuilder("umount", "-l", target).start().waitFor();
        }
      }
      new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).start().waitFor();
    } catch (IOException | InterruptedException | AssertionError e) {
      // best effort at JVM exit
    }
  }

  static synchronized String dockerHost() {
    if (socket == null) {
      throw new IllegalStateException("PodmanService.start first");
    }
    return "unix://" + socket;
  }
}
