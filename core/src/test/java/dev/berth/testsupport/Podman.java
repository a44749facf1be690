package dev.berth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * podman (or buildah) as a peer for interop tests and benchmarks, confined to a directory: its
 * own storage root and run root, a containers.conf that picks runc, cgroupfs and file events and
 * raises the ulimits, so it works on a CI VM without touching the host's podman state.
 */
public final class Podman {
  private static final String CONF = """
      [containers]
      default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

      [engine]
      runtime = "runc"
      cgroup_manager = "cgroupfs"
      events_logger = "file"
      """;

  /** Long enough for a first build that installs packages. */
  private static final Duration TIMEOUT = Duration.ofMinutes(15);

  private final String tool;
  private final Path dir;
  private final Map<String, String> env;

  private Podman(String tool, Path dir) {
    this.tool = tool;
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("containers.conf"), CONF);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.env = Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString());
  }

  /** podman with its state under {@code dir}. */
  public static Podman podman(Path dir) {
    return new Podman("podman", dir);
  }

  /** buildah with its state under {@code dir}. */
  public static Podman buildah(Path dir) {
    return new Podman("buildah", dir);
  }

  /**
   * Runs the tool with the confining global flags, then {@code args}; returns its stdout.
   *
   * @throws AssertionError with its stderr when it fails
   */
  public String run(String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(tool,
        "--root", dir.resolve("root").toString(), "--runroot", dir.resolve("runroot").toString(),
        "--storage-driver", "overlay"));
    if (tool.equals("podman")) {
      argv.addAll(List.of("--cgroup-manager=cgroupfs", "--events-backend=file"));
    }
    argv.addAll(List.of(args));
    return Commands.ok(env, TIMEOUT, argv.toArray(String[]::new));
  }

  /** Removes what the tool stored (its overlay mounts first, through the tool itself). */
  public void clean() {
    try {
      run(tool.equals("podman") ? new String[] {"system", "reset", "--force"}
          : new String[] {"rm", "--all"});
    } catch (IOException | AssertionError e) {
      // best effort: the temp dir goes anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      // best effort: the temp dir goes anyway
    }
  }
}
