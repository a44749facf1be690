package dev.berth.internal.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rootless mode for real: root delegates a cgroup on the unified hierarchy to user nobody the way
 * systemd's Delegate=yes does (chown of the dir and its cgroup.procs, cgroup.threads and
 * cgroup.subtree_control), and a JVM running as nobody inside it creates a container cgroup.
 */
class RootlessDelegationTest {

  private static final String NOBODY = "65534";

  @TempDir Path tmp;
  private Path delegated;

  @AfterEach
  void removeTheDelegatedCgroup() {
    if (delegated != null && Files.isDirectory(delegated)) {
      CgroupDir all = new CgroupDir(delegated, true, Set.of());
      all.killAll();
      CgroupDir.poll(5000, () -> all.pids().isEmpty());
      all.remove(5000);
    }
  }

  @Test
  void containerCgroup_asNonRootInADelegatedCgroup_livesAndDiesBelowIt() throws Exception {
    assumeTrue(Linux.isRoot(), "delegating a cgroup to another user needs root");
    CgroupHost host = Cgroups.detect();
    assumeTrue(host.unifiedMount().isPresent() && host.v2Parent().isPresent(),
        "no writable cgroup2 hierarchy to delegate from");
    assumeTrue(Files.exists(host.unifiedMount().get().resolve("cgroup.procs")), "no cgroup2");
    delegated = host.unifiedMount().get().resolve(CgroupFixture.newId() + "-delegated");
    Path leaf = delegated.resolve("leaf");
    Files.createDirectories(leaf);
    delegate(delegated);
    delegate(leaf);
    String id = CgroupFixture.newId();

    Process probe = new ProcessBuilder("sh", "-c", "echo $$ > " + leaf.resolve("cgroup.procs")
        + " && exec setpriv --reuid=" + NOBODY + " --regid=" + NOBODY + " --clear-groups"
        + " java -Xmx64m -XX:-UsePerfData -cp " + classPath() + " "
        + RootlessProbe.class.getName() + " " + id)
        .redirectErrorStream(true).start();
    String output = new String(probe.getInputStream().readAllBytes());

    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(output).contains(
        "canCreate=true",
        "v2Parent=" + delegated.resolve("berth"),
        "joined=true",
        "frozen=true",
        "exit=137",
        "removed=true");
    assertThat(delegated.resolve("berth").resolve(id)).doesNotExist();
  }

  /** What systemd chowns for Delegate=yes. */
  private static void delegate(Path dir) throws Exception {
    for (Path p : List.of(dir, dir.resolve("cgroup.procs"), dir.resolve("cgroup.threads"),
        dir.resolve("cgroup.subtree_control"))) {
      Files.setAttribute(p, "unix:uid", Integer.parseInt(NOBODY));
      Files.setAttribute(p, "unix:gid", Integer.parseInt(NOBODY));
    }
  }

  /**
   * The compiled main and test classes, AssertJ/JUnit that the fixture links against, and JNA,
   * which the cgroup code calls (rmdir by errno) through {@code dev.berth.internal.linux}.
   */
  private String classPath() throws Exception {
    return String.join(File.pathSeparator, Stream.of(ContainerCgroup.class, RootlessProbe.class,
            Assertions.class, org.junit.jupiter.api.Assumptions.class, com.sun.jna.Native.class)
        .map(c -> readableCopy(c)).toList());
  }

  /** Copies a class-path entry where nobody can read it: test dirs may be private to root. */
  private String readableCopy(Class<?> type) {
    try {
      Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path copy = tmp.resolve("cp" + Math.abs(source.hashCode()));
      if (!Files.exists(copy)) {
        new ProcessBuilder("cp", "-a", source.toString(), copy.toString()).inheritIO().start()
            .waitFor();
        new ProcessBuilder("chmod", "-R", "a+rX", tmp.toString()).start().waitFor();
      }
      return copy.toString();
    } catch (Exception e) {
      throw new IllegalStateException("cannot copy the class path entry of " + type, e);
    }
  }
}
