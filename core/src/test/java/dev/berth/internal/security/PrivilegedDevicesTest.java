package dev.berth.internal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import dev.berth.internal.runtime.ContainerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * privileged(true) gives the container the host's device nodes, as Docker's --privileged does,
 * while /dev/pts and /dev/shm stay the container's own. Root only (as root the nodes are made
 * with mknod; RootlessVolumesAndCopiesTest covers the binds of a user namespace).
 */
@Timeout(60)
class PrivilegedDevicesTest {
  @TempDir static Path tmp;
  private static ContainerHarness harness;
  private static String device;

  @BeforeAll
  static void setUp() throws Exception {
    assumeTrue(Linux.isRoot(), "the privileged /dev is made by root here");
    harness = new ContainerHarness(tmp);
    device = List.of("/dev/loop-control", "/dev/vda", "/dev/sda", "/dev/kvm", "/dev/fuse").stream()
        .filter(d -> Files.exists(Path.of(d), LinkOption.NOFOLLOW_LINKS)).findFirst().orElse(null);
    assumeTrue(device != null, "this host has none of the devices the test looks for");
  }

  @AfterEach
  void noMountsLeftOnTheHost() throws Exception {
    assertThat(harness.leftoverMounts()).isEmpty();
  }

  @Test
  void privileged_seesAHostDevice_withItsNumbersAndMode() throws Exception {
    String inside = harness.run(b -> b.privileged(true), "stat", "-c", "%F %t:%T %a %u", device).stdout().strip();
    assertThat(inside).isEqualTo(host("stat", "-c", "%F %t:%T %a %u", device));
  }

  @Test
  void privileged_canUseTheDevice() throws Exception {
    String out = harness.run(b -> b.privileged(true), "sh", "-c", "head -c 0 " + device + " && echo opened").stdout().strip();
    assertThat(out).isEqualTo("opened");
  }

  @Test
  void notPrivileged_doesNotSeeHostDevices() throws Exception {
    String out = harness.run("sh", "-c", "ls /dev").stdout();
    assertThat(out.split("\\s+")).doesNotContain(Path.of(device).getFileName().toString());
  }

  @Test
  void privileged_devPtsAndShm_areTheContainersOwn() throws Exception {
    String inside = harness.run(b -> b.privileged(true), "stat", "-c", "%d", "/dev/pts", "/dev/shm").stdout().strip();
    String onHost = host("stat", "-c", "%d", "/dev/pts", "/dev/shm");
    String[] in = inside.split("\n");
    String[] out = onHost.split("\n");
    assertThat(in[0]).isNotEqualTo(out[0]);
    assertThat(in[1]).isNotEqualTo(out[1]);
  }

  @Test
  void privileged_ptmx_isTheContainersDevpts() throws Exception {
    assertThat(harness.run(b -> b.privileged(true), "readlink", "/dev/ptmx").stdout().strip()).isEqualTo("pts/ptmx");
  }

  private static String host(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return out;
  }
}
