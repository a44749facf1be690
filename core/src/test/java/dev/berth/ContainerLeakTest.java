package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.ChildProcesses;
import dev.berth.testsupport.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running and removing containers many times leaves nothing behind. */
class ContainerLeakTest {
  @TempDir Path home;

  @Test
  void twoHundredRunRemoveCycles_leaveNoMountsProcessesFilesOrThreads() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    TestRegistry reg = Registries.plainWith("busybox");
    ChildProcesses children;
    List<Path> sparesBefore;
    List<Long> slirpsBefore;
    try (Berth berth = Registries.engine(home, reg)) {
      Image busybox = berth.pull("busybox");
      for (int i = 0; i < 2; i++) {
        try (Container warm = busybox.run("true")) {
          warm.waitFor(); // the first runs start the engine's threads, the second its spare helper
        }
      }
      children = ChildProcesses.baseline();
      slirpsBefore = slirps();
      // engines of other test classes in this JVM may hold spares (and their dirs) until it exits
      sparesBefore = spareCgroupDirs();
      int threads = Thread.activeCount();
      long fds = openFds();
      List<String> mountsBefore = mounts(home);
      for (int i = 0; i < 200; i++) {
        Container c = busybox.run(i % 2 == 0 ? RunOptions.command("true")
            : RunOptions.builder().command("true").autoRemove(true).build());
        c.waitFor();
        c.close();
      }
      Thread.sleep(200); // let exit callbacks settle
      // the only new children are the engine's spare helpers for its next containers
      assertThat(children.added()).allSatisfy(pid -> assertThat(isSpareHelper(pid)).as("child %d is the engine's spare", pid).isTrue())
          .hasSizeLessThanOrEqualTo(KEPT_SPARES);
      assertThat(spareCgroupDirs().stream().filter(d -> !sparesBefore.contains(d)))
          .hasSizeLessThanOrEqualTo(KEPT_SPARES * spareDirsOfOne());
      // the containers' slirp4netns end with their monitors; the spares' may run ahead
      assertThat(slirps().stream().filter(p -> !slirpsBefore.contains(p))).hasSizeLessThanOrEqualTo(KEPT_SPARES);
      assertThat(mounts(home)).isEqualTo(mountsBefore);
      assertThat(berth.containers(true)).isEmpty();
      try (Stream<Path> left = Files.list(home.resolve("containers"))) {
        assertThat(left).isEmpty();
      }
      try (Stream<Path> left = Files.list(home.resolve("names"))) {
        assertThat(left).isEmpty();
      }
      assertThat(Thread.activeCount()).isLessThanOrEqualTo(threads + 2);
      assertThat(openFds()).isLessThanOrEqualTo(fds + 5);
    }
    // closing the engine ends its spare (no child is left that was not there before the loop: a
    // fixture engine of another test class may keep its own until the JVM exits), and removes the
    // spare's cgroup dirs
    assertThat(children.added()).isEmpty();
    assertThat(sparesBefore).containsAll(spareCgroupDirs()); // this engine's (made in the loop) are gone
    assertThat(slirpsBefore).containsAll(slirps()); // and the slirp4netns its spares started ahead
  }

  /** The slirp4netns processes on the machine (a container's outlives its monitor by a moment). */
  private static List<Long> slirps() {
    return ProcessHandle.allProcesses().filter(p -> p.isAlive() && p.info().command().orElse("").endsWith("slirp4netns"))
        .map(ProcessHandle::pid).toList();
  }

  /** The spares an engine keeps (SparePool.KEPT). */
  private static final int KEPT_SPARES = 2;

  private static boolean isSpareHelper(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().arguments())
        .map(a -> java.util.Arrays.asList(a).contains("--spare")).orElse(false);
  }

  /** This JVM's spare cgroup dirs (spare-PID-N under Berth's v1 parents). */
  private static List<Path> spareCgroupDirs() {
    return ContainerSpareTest.spareDirs(ProcessHandle.current().pid());
  }

  /** One spare has a dir on each v1 hierarchy Berth uses (co-mounted controllers share one). */
  private static int spareDirsOfOne() {
    return (int) dev.berth.internal.cgroup.Cgroups.detect().v1Mounts().values().stream().distinct().count();
  }

  /** Mounts under this test's home: other processes on the machine may mount elsewhere. */
  private static List<String> mounts(Path home) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(home.toString())).toList();
  }

  private static long openFds() throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
