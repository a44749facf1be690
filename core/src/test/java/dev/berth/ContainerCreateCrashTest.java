package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.store.StoreLayout;
import dev.berth.internal.store.StoreLock;
import dev.berth.testing.TestRegistry;
import dev.berth.testsupport.ChildJvm;
import dev.berth.testsupport.Registries;
import dev.berth.testsupport.StoreCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create in another JVM, held before its record is written (the test holds the volumes lock
 * its create waits for): another engine leaves it alone while that JVM lives, and removes what
 * it made once a SIGKILL has ended it.
 */
@Timeout(180)
class ContainerCreateCrashTest {
  @TempDir Path home;
  private TestRegistry reg;
  private StoreLock volumes;
  private Process child;

  @BeforeEach
  void holdTheVolumesLock() {
    assumeTrue(Linux.isRoot(), "runs containers as root");
    assumeTrue(TestRegistry.available(), "docker-registry is not installed");
    reg = Registries.plainWith("busybox");
    volumes = StoreLock.acquire(new StoreLayout(home).lockFile("volumes"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (volumes != null) {
      volumes.close();
    }
    if (child != null) {
      child.destroyForcibly().waitFor();
    }
    if (reg == null) {
      return; // skipped
    }
    try (Berth berth = Registries.engine(home, reg)) {
      for (ContainerInfo c : berth.containers(true)) {
        berth.container(c.id()).remove(true);
      }
    }
  }

  @Test
  void createOfALiveJvm_waitingBeforeItsRecord_isLeftAloneByAnotherEngine() throws Exception {
    String id = startCreateAndWaitBeforeRecord();
    try (Berth other = Registries.engine(home, reg)) {
      assertThat(home.resolve("containers").resolve(id)).isDirectory();
      assertThat(home.resolve("names/halfway")).exists();
      assertThat(other.containers(true)).isEmpty(); // no record yet
    }
    volumes.close();
    volumes = null;
    assertThat(readLine("ID ")).isEqualTo("ID " + id);
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    try (Berth other = Registries.engine(home, reg)) {
      Container c = other.container("halfway");
      assertThat(c.id()).isEqualTo(id);
      assertThat(c.isAlive()).isTrue();
      c.remove(true);
    }
  }

  @Test
  void createOfAJvmKilledBeforeItsRecord_isRemovedByTheNextEngine() throws Exception {
    String id = startCreateAndWaitBeforeRecord();
    child.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no cleanup
    volumes.close();
    volumes = null;
    assertThat(home.resolve("containers").resolve(id)).as("what the killed create left").isDirectory();

    try (Berth next = Registries.engine(home, reg)) {
      assertThat(home.resolve("containers").resolve(id)).doesNotExist();
      assertThat(StoreCheck.list(home.resolve("containers"))).isEmpty();
      assertThat(StoreCheck.list(home.resolve("names"))).as("the name it took").isEmpty();
      assertThat(next.containers(true)).isEmpty();
      Container again = next.image("busybox").run(RunOptions.builder().command("true").name("halfway").build());
      assertThat(again.waitFor()).isZero();
      again.remove(false);
    }
    assertThat(StoreCheck.list(home.resolve("tmp"))).as("staging of the killed JVM and of the engine").isEmpty();
  }

  @Test
  void createOfAJvmKilledBeforeItsRecord_withAMountLeftUnderItsDir_isUnmountedAndRemoved() throws Exception {
    String id = startCreateAndWaitBeforeRecord();
    child.destroyForcibly().waitFor();
    volumes.close();
    volumes = null;
    // what a JVM killed mid-copy leaves: a view mounted in the container's dir
    Path view = home.resolve("containers").resolve(id).resolve("copy-view");
    Files.createDirectories(view);
    dev.berth.internal.linux.Syscalls.mount("tmpfs", view.toString(), "tmpfs", 0, "size=1m");
    Files.writeString(view.resolve("f"), "in the mount");
    assertThat(mountsUnderHome()).isNotEmpty();

    try (Berth next = Registries.engine(home, reg)) {
      assertThat(home.resolve("containers").resolve(id)).doesNotExist();
    }
    assertThat(mountsUnderHome()).isEmpty();
    assertThat(StoreCheck.list(home.resolve("tmp"))).isEmpty();
  }

  private List<String> mountsUnderHome() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(home.toString())).toList();
  }

  /** Starts the child and returns the id of its container once its dir and name are made. */
  private String startCreateAndWaitBeforeRecord() throws Exception {
    child = ChildJvm.start(BlockedCreateMain.class, home.toString(), reg.host());
    readLine("PULLED");
    Path name = home.resolve("names/halfway");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(name, LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(name).as("the child's create took its name").exists();
    String id = Files.readSymbolicLink(name).getFileName().toString();
    Thread.sleep(200); // on to the volumes lock
    assertThat(home.resolve("containers").resolve(id).resolve("container.json")).doesNotExist();
    return id;
  }

  private BufferedReader out;

  private String readLine(String prefix) throws Exception {
    if (out == null) {
      out = new BufferedReader(new InputStreamReader(child.getInputStream()));
    }
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("the child JVM ended before printing " + prefix);
  }
}
