package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.StoreCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs share one home doing random pulls, runs, detached runs, lists and removes while
 * one of them is SIGKILLed every 2 to 5 seconds and started again: afterwards every container
 * a fresh engine lists tells the truth and can be removed, and once they are removed nothing is
 * left that no record owns (in the home, in the mount table, among processes and cgroups).
 */
class KilledJvmsChaosTest {
  private static final int JVMS = 3;
  private static final int THREADS = 3;
  private static final Duration CHAOS = Duration.ofSeconds(35);

  @TempDir Path home;
  @TempDir Path logs;

  /** Every container id this test's JVMs made or the home held at any time. */
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  /** Every child JVM's pid, for their spare helpers' cgroups. */
  private final Set<Long> jvmPids = ConcurrentHashMap.newKeySet();
  private final List<Child> children = new ArrayList<>();
  private volatile boolean watching = true;

  @AfterEach
  void endChildren() {
    watching = false;
    children.forEach(c -> c.process.destroyForcibly());
  }

  @Test
  void jvmsKilledAtRandomMidOperation_leaveTrueContainersAndNothingThatNoRecordOwns() throws Exception {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    TestRegistry reg = Registries.plainWith("busybox");
    try (Berth first = Registries.engine(home, reg)) {
      first.pull("busybox"); // the children start on a stored image, so their kills hit more than pulls
    }
    Thread watcher = watchContainerDirs();
    for (int i = 0; i < JVMS; i++) {
      children.add(start(i, reg));
    }
    Random random = new Random();
    int kills = 0;
    long end = System.nanoTime() + CHAOS.toNanos();
    while (System.nanoTime() < end) {
      Thread.sleep(2000 + random.nextInt(3000));
      int victim = random.nextInt(JVMS);
      Child dead = children.get(victim);
      dead.process.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no engine close
      kills++;
      children.set(victim, start(victim, reg));
    }
    for (Child c : children) {
      assertThat(c.ready.await(30, TimeUnit.SECONDS)).as("child %d opened its engine", c.index).isTrue();
    }
    Thread.sleep(500);
    for (Child c : children) {
      c.process.getOutputStream().close(); // stop: each ends its operations and exits normally
    }
    for (Child c : children) {
      assertThat(c.process.waitFor(60, TimeUnit.SECONDS)).as("child %d stopped", c.index).isTrue();
      assertThat(c.process.exitValue()).as("child %d's exit (log %s)", c.index, c.log).isZero();
    }
    watching = false;
    watcher.join();
    assertThat(kills).isGreaterThanOrEqualTo(6);

    // The killed JVMs' staging went with the opens that followed; the others' with their exits
    // (closed or not).
    assertThat(StoreCheck.list(home.resolve("tmp"))).as("staging left by JVMs that exited").isEmpty();

    try (Berth berth = Registries.engine(home, reg)) {
      List<ContainerInfo> listed = berth.containers(true);
      listed.forEach(c -> ids.add(c.id()));
      for (ContainerInfo c : listed) {
        if (c.isRunning()) {
          assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive)).as("%s runs", c).contains(true);
          assertThat(cgroupOf(c.pid())).as("%s's process", c).contains(c.id());
        } else {
          assertThat(c.pid()).as("%s has no process", c).isZero();
          assertThat(processesIn(Set.of(c.id()))).as("processes of %s, which does not run", c).isEmpty();
        }
        berth.container(c.id()).remove(true);
      }
      assertThat(berth.containers(true)).isEmpty();
      if (berth.volumes().stream().anyMatch(v -> v.name().equals("chaos"))) {
        berth.removeVolume("chaos", false);
      }
    }

    assertThat(StoreCheck.list(home.resolve("containers"))).as("container dirs no record owns").isEmpty();
    assertThat(StoreCheck.list(home.resolve("names"))).as("names of no container").isEmpty();
    assertThat(StoreCheck.list(home.resolve("volumes"))).isEmpty();
    assertThat(StoreCheck.list(home.resolve("tmp"))).as("staging").isEmpty();
    StoreCheck.assertConsistent(home);
    assertThat(mountsUnderHome()).as("mounts under the home").isEmpty();
    assertThat(eventually(() -> processesIn(ids))).as("processes of the home's containers").isEmpty();
    assertThat(eventually(this::processesNamingHome)).as("processes naming the home (monitors)").isEmpty();
    List<Path> cgroupsLeft = eventually(this::cgroupDirsLeft);
    assertThat(cgroupsLeft).as(() -> "cgroups of the containers and the JVMs' spares; "
        + whatTheLogsSay(cgroupsLeft)).isEmpty();
  }

  /** A child JVM; its stdout is read for READY and the ids it made. */
  private record Child(int index, Process process, CountDownLatch ready, Path log) {}

  private Child start(int index, TestRegistry reg) throws IOException {
    boolean closed = index % 2 == 0; // the others use the default engine and never close it
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ChaosMain.class.getName(),
        home.toString(), reg.host(), closed ? "closed" : "default", String.valueOf(THREADS));
    pb.environment().put("BERTH_HOME", home.toString());
    pb.environment().put("BERTH_REGISTRY_MIRRORS", reg.host());
    Path log = logs.resolve("child-" + index + ".log");
    pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    jvmPids.add(p.pid());
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals("READY")) {
            ready.countDown();
          } else if (line.startsWith("ID ")) {
            ids.add(line.substring(3));
          }
        }
      } catch (IOException killed) {
        // its pipe went with it
      }
    }, "chaos-reader-" + index);
    reader.setDaemon(true);
    reader.start();
    return new Child(index, p, ready, log);
  }

  /** Notes every container dir that appears, for the cgroup and process checks at the end. */
  private Thread watchContainerDirs() {
    Thread t = new Thread(() -> {
      while (watching) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(home.resolve("containers"))) {
          dirs.forEach(d -> ids.add(d.getFileName().toString()));
          Thread.sleep(20);
        } catch (IOException | InterruptedException e) {
          return;
        }
      }
    }, "chaos-watcher");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private List<String> mountsUnderHome() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(home.toString())).toList();
  }

  /** "pid cmdline" of processes whose cgroup is one of {@code containerIds}'. */
  private static List<String> processesIn(Set<String> containerIds) {
    return processes(p -> {
      String cgroup = read(p.resolve("cgroup"));
      return containerIds.stream().anyMatch(id -> cgroup.contains("/berth/" + id));
    });
  }

  /** Helpers and monitors: their command names a file in the home (a container's config). */
  private List<String> processesNamingHome() {
    return processes(p -> read(p.resolve("cmdline")).replace('\0', ' ').contains(home.toString()));
  }

  private static List<String> processes(java.util.function.Predicate<Path> match) {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
        p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        if (match.test(p)) {
          found.add(p.getFileName() + " " + read(p.resolve("cmdline")).replace('\0', ' ').strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static String cgroupOf(long pid) {
    return read(Path.of("/proc/" + pid + "/cgroup"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException gone) {
      return ""; // exited while we looked
    }
  }

  /** Cgroup dirs named by a container id of this test or by a spare of one of its JVMs. */
  private List<Path> cgroupDirsLeft() {
    try (Stream<Path> s = Files.find(Path.of("/sys/fs/cgroup"), 3, (p, a) -> {
      String name = p.getFileName() == null ? "" : p.getFileName().toString();
      return a.isDirectory() && (ids.contains(name)
          || jvmPids.stream().anyMatch(pid -> name.startsWith("spare-" + pid + "-")));
    })) {
      return s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** For a failure: each left cgroup's processes and the child log lines naming its id. */
  private String whatTheLogsSay(List<Path> left) {
    StringBuilder b = new StringBuilder();
    left.stream().map(p -> p.getFileName().toString()).distinct().forEach(id -> {
      b.append("\n").append(id).append(": procs [").append(read(cgroupDir(left, id)
          .resolve("cgroup.procs")).strip()).append("]");
      for (Child c : children) {
        read(c.log()).lines().filter(l -> l.contains(id.substring(0, 12)))
            .forEach(l -> b.append("\n  child ").append(c.index()).append(": ").append(l));
      }
    });
    return b.toString();
  }

  private static Path cgroupDir(List<Path> left, String id) {
    return left.stream().filter(p -> p.getFileName().toString().equals(id)).findFirst()
        .orElseThrow();
  }

  /** What {@code check} finds once it finds nothing, or after 10 s what it still finds. */
  private static <T> List<T> eventually(Supplier<List<T>> check) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<T> found = check.get();
    while (!found.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      found = check.get();
    }
    return found;
  }
}
