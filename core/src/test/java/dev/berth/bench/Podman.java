package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * podman as the peer, set up the one way it works on this VM: a containers.conf with raised
 * ulimits and runc as runtime (the default crun and ulimits fail here), its own
 * {@code --root/--runroot} under {@code dir}, cgroupfs and file events (no systemd, no journal).
 */
final class Podman implements AutoCloseable {
  private static final String CONF = """
      [containers]
      default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
      [engine]
      runtime = "runc"
      """;

  private final Path dir;

  /** @param dir a new directory; short, because podman refuses a runroot over 50 characters */
  Podman(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    Files.writeString(dir.resolve("containers.conf"), CONF);
  }

  /** The full command line of {@code podman <args>} with this storage and setup. */
  ProcessBuilder command(String... args) {
    List<String> cmd = new ArrayList<>(List.of("podman", "--root", dir + "/root",
        "--runroot", dir + "/run", "--cgroup-manager=cgroupfs", "--events-backend=file"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
    return pb;
  }

  /** Runs {@code podman <args>} and returns its output; throws with the output on failure. */
  String run(String... args) throws IOException, InterruptedException {
    return Timing.exec(command(args));
  }

  /** Empties the storage: containers, images, layers. */
  void reset() throws IOException, InterruptedException {
    run("system", "reset", "-f");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      reset();
    } finally {
      Timing.exec("rm", "-rf", dir.toString());
    }
  }
}
