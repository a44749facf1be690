package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.ContainerStartException;
import dev.berth.testing.MachineLacks;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helper mounting the root with fuse-overlayfs (rootless on kernels that refuse overlay). */
class FuseOverlayContainerTest {
  private static final Path FUSE_OVERLAYFS = Path.of("/usr/bin/fuse-overlayfs");

  @TempDir Path tmp;
  private ContainerHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new ContainerHarness(tmp);
    assumeTrue(Files.isExecutable(FUSE_OVERLAYFS), "needs fuse-overlayfs (apt-get install fuse-overlayfs)");
    MachineLacks.assume(Files.exists(Path.of("/dev/fuse")), "/dev/fuse");
  }

  private static RuntimeSpec.Builder onFuse(RuntimeSpec.Builder b, Path program) {
    RuntimeSpec spec = b.build();
    return RuntimeSpec.builder(new RuntimeSpec.FuseOverlay((RuntimeSpec.Overlay) spec.rootfs(), program),
        spec.process().argv().toArray(String[]::new)).env("PATH=/bin");
  }

  @Test
  void fuseOverlay_runsTheContainerAndItsWritesLandInTheUpperDir() throws Exception {
    RuntimeSpec.Builder b = onFuse(harness.spec("sh", "-c", "echo on fuse > /written; cat /written"), FUSE_OVERLAYFS);
    RuntimeSpec spec = b.build();
    Path upper = ((RuntimeSpec.FuseOverlay) spec.rootfs()).overlay().upper();
    LaunchedContainer c = harness.start(spec);
    String out = new String(c.stdout().readAllBytes()).strip();
    assertThat(c.waitFor()).isZero();
    assertThat(out).isEqualTo("on fuse");
    assertThat(upper.resolve("written")).hasContent("on fuse");
  }

  @Test
  void fuseOverlay_programThatFails_reportsStageRootfsWithWhatItSaid() throws Exception {
    RuntimeSpec spec = onFuse(harness.spec("true"), Path.of("/bin/false")).build();
    assertThatThrownBy(() -> harness.start(spec)).isInstanceOf(ContainerStartException.class)
        .hasMessageContaining("stage rootfs").hasMessageContaining("/bin/false failed");
  }
}
