package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Berth.info() as root; RootlessEndToEndTest checks it as an unprivileged user. */
class BerthInfoTest {
  @TempDir Path tmp;

  @Test
  void info_asRoot_reportsNoUserNamespaceAndKernelOverlay() {
    assumeTrue(Linux.isRoot(), "checks root's answer (run the tests as root)");
    try (Berth berth = Berth.builder().home(tmp).build()) {
      HostInfo info = berth.info();
      assertThat(info.rootless()).isFalse();
      assertThat(info.userNamespace()).isEqualTo(HostInfo.UserNamespace.NONE);
      assertThat(info.uidMap()).isEmpty();
      assertThat(info.rootfs()).isEqualTo(HostInfo.RootfsMode.OVERLAY);
    }
  }

  @Test
  void info_namesTheStoreHelperAndKernel() throws Exception {
    try (Berth berth = Berth.builder().home(tmp).build()) {
      HostInfo info = berth.info();
      assertThat(info.storePath()).isEqualTo(tmp);
      assertThat(info.helperPath()).isExecutable();
      assertThat(info.kernelVersion()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
    }
  }

  @Test
  void toString_hasOneLinePerFact() {
    HostInfo info = new HostInfo(true, HostInfo.UserNamespace.FULL_RANGE,
        java.util.List.of(new HostInfo.IdRange(0, 1001, 1), new HostInfo.IdRange(1, 100000, 65536)),
        java.util.List.of(new HostInfo.IdRange(0, 1001, 1)), HostInfo.RootfsMode.OVERLAY_USERXATTR, "v2", false,
        "no delegated cgroup", java.util.Map.of("private", "no: only lo"), java.util.Map.of(), Path.of("/home/u/.local/share/berth"), Path.of("/h"), "6.18.0", "local", java.util.Map.of(), "127.0.0.1");
    assertThat(info.toString()).contains("rootless:        true",
        "user namespace:  full range (uids [0->1001, 1->100000 (65536)]", "root fs:         overlay+userxattr",
        "cgroups:         v2, no limits (no delegated cgroup)", "networks:        private\n",
        "kernel:          6.18.0");
  }
}
