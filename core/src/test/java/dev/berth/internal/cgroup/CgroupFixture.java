package dev.berth.internal.cgroup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real cgroups for a test: unique container ids, processes started inside them, and removal of
 * exactly what the test created, afterwards.
 */
final class CgroupFixture implements AutoCloseable {

  private final List<ContainerCgroup> cgroups = new ArrayList<>();
  private final Map<Process, Path> outputs = new LinkedHashMap<>();
  private final Path tmp;
  private final boolean ownsTmp;

  /** A fixture whose processes' output goes to files in {@code tmp}, which the caller removes. */
  CgroupFixture(Path tmp) {
    this(tmp, false);
  }

  private CgroupFixture(Path tmp, boolean ownsTmp) {
    this.tmp = tmp;
    this.ownsTmp = ownsTmp;
  }

  /** A fixture for a main of its own: a new temp dir for the output, removed on {@link #close}. */
  static CgroupFixture inNewTempDir(String prefix) throws IOException {
    return new CgroupFixture(Files.createTempDirectory(prefix), true);
  }

  /** Skips the test unless this process may create cgroups on the host (or view) given. */
  static CgroupHost assumeCgroups(Function<CgroupHost, CgroupHost> view) {
    assumeTrue(Linux.isRoot(), "creating cgroups needs root; this test runs as a user");
    CgroupHost host = view.apply(Cgroups.detect());
    assumeTrue(host.canCreate(), "cannot create cgroups on this " + host.version() + " view of"
        + " the host: " + host.problem());
    return host;
  }

  static String newId() {
    byte[] bytes = new byte[8];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "berth-test-" + HexFormat.of().formatHex(bytes);
  }

  ContainerCgroup create(CgroupHost host, CgroupLimits limits) {
    return track(ContainerCgroup.create(host, newId(), limits, false));
  }

  ContainerCgroup track(ContainerCgroup cgroup) {
    cgroups.add(cgroup);
    return cgroup;
  }

  /**
   * Starts {@code sh -c script} inside the cgroup, the way the native helper will: the process
   * writes its own pid to each dir's cgroup.procs, then execs. Returns once it has joined.
   * Its output and errors go to {@link #outputFile(Process)}.
   */
  Process start(ContainerCgroup cgroup, String script) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("sh", "-c", "for d in \"$@\"; do"
        + " echo $$ > \"$d/cgroup.procs\" || exit 99; done; exec sh -c \"$SCRIPT\"", "join"));
    cgroup.joinPaths().forEach(p -> command.add(p.toString()));
    Path output = Files.createTempFile(tmp, "out", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().put("SCRIPT", script);
    Process process = builder.start();
    outputs.put(process, output);
    if (!CgroupDir.poll(5000, () -> cgroup.pids().contains(process.pid()) || !process.isAlive())) {
      throw new AssertionError("process " + process.pid() + " did not join " + cgroup);
    }
    if (!process.isAlive() && process.exitValue() == 99) {
      throw new AssertionError(
          "process could not join " + cgroup + ": " + Files.readString(output));
    }
    return process;
  }

  Path outputFile(Process process) {
    return outputs.get(process);
  }

  static int exitCode(Process process) throws InterruptedException {
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " still runs after 10 s");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (ContainerCgroup cgroup : cgroups) {
      try {
        cgroup.destroy();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    outputs.keySet().forEach(Process::destroyForcibly);
    if (ownsTmp) {
      try {
        FileTrees.deleteRecursively(tmp);
      } catch (IOException e) {
        first = first == null ? new UncheckedIOException(e) : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
