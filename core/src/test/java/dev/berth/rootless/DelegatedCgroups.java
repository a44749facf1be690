package dev.berth.rootless;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Cgroups a test makes as root and delegates to {@link RootlessRun#USER} (chowned, as an
 * administrator delegates one without systemd): {@code <hierarchy>/}{@value #PARENT}{@code
 * /run-*}. Closing removes exactly these, deepest first, with whatever the user made below them;
 * no other cgroup is touched.
 */
final class DelegatedCgroups implements AutoCloseable {
  static final String PARENT = "berth-delegated-test";

  private final List<Path> made = new ArrayList<>();

  /** @return a new cgroup under {@code hierarchy} (a cgroup mount point) owned by the test user */
  Path delegate(Path hierarchy) throws Exception {
    Path parent = hierarchy.resolve(PARENT);
    if (!Files.isDirectory(parent)) {
      Files.createDirectory(parent);
      made.add(parent);
    }
    Path mine = Files.createTempDirectory(parent, "run-");
    made.add(mine);
    Process p = new ProcessBuilder("chown", "-R", RootlessRun.USER + ":" + RootlessRun.USER, mine.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("chown of " + mine + " failed: " + out);
    }
    return mine;
  }

  @Override
  public void close() throws IOException {
    List<Path> all = new ArrayList<>();
    for (Path p : made) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isDirectory).forEach(all::add);
        }
      }
    }
    all.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).forEach(d -> {
      try {
        Files.deleteIfExists(d); // rmdir: cgroupfs removes the control files with the dir
      } catch (IOException e) {
        System.err.println("could not remove test cgroup " + d + ": " + e);
      }
    });
  }
}
