package dev.berth.internal.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.UnsupportedEnvironmentException;
import dev.berth.internal.linux.Capabilities;
import dev.berth.internal.linux.Linux;
import dev.berth.testsupport.TarBuilder;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when the kernel says EPERM: tests unpack on a thread of their own that has dropped
 * a capability (capabilities are per thread), or into an immutable directory.
 */
class UnpackWithoutPrivilegeTest {
  @TempDir Path tmp;
  private UnpackFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    assumeThat(Linux.isRoot() && Capabilities.has(Capabilities.CAP_MKNOD))
        .as("needs root with CAP_MKNOD to drop it").isTrue();
    fx = new UnpackFixture(tmp);
  }

  @Test
  void overlayWhiteout_whereMknodIsRefused_failsSayingToFlatten() throws Exception {
    // Kernels since 5.8 let anyone create 0/0 whiteouts, so EPERM is met in an immutable directory.
    assumeThat(chattr("+i")).as("chattr +i does not work on " + tmp).isTrue();
    try {
      assertThatThrownBy(() -> fx.unpack(UnpackOptions.overlay(), new TarBuilder().whiteout("", "gone")))
          .isInstanceOf(UnsupportedEnvironmentException.class)
          .hasMessageContaining("cannot create the overlay whiteout 'gone'")
          .hasMessageContaining("EPERM")
          .hasMessageContaining("FLATTEN");
    } finally {
      chattr("-i");
    }
  }

  @Test
  void overlayOpaque_withoutSysAdmin_failsSayingToUseUserXattrs() {
    TarBuilder layer = new TarBuilder().dir("d").opaque("d");

    assertThatThrownBy(() -> withoutCapability(Capabilities.CAP_SYS_ADMIN, () -> fx.unpack(UnpackOptions.overlay(), layer)))
        .isInstanceOf(UnsupportedEnvironmentException.class)
        .hasMessageContaining("cannot mark 'd' opaque")
        .hasMessageContaining("use user xattrs");
  }

  @Test
  void deviceNode_withoutMknod_isSkippedWithANote() throws Exception {
    TarBuilder layer = new TarBuilder().node("dev-null", TarConstants.LF_CHR, 1, 3, e -> {}).file("f", "x");

    UnpackSummary s = withoutMknod(() -> fx.unpack(UnpackOptions.overlay(), layer));

    assertThat(fx.root.resolve("dev-null")).doesNotExist();
    assertThat(fx.root.resolve("f")).hasContent("x");
    assertThat(s.notes()).containsExactly("device node skipped (mknod not permitted): dev-null");
  }

  @Test
  void foreignOwner_withoutChownAndDeferring_isListedByItsPathOnDisk() throws Exception {
    TarBuilder layer = new TarBuilder().dir("real").symlink("via", "real").dir("real/sub", e -> e.setIds(0, 42))
        .file("via/f", "x", e -> e.setIds(1000, 1000)).symlink("l", "f", e -> e.setIds(7, 7));

    UnpackSummary s = withoutCapability(Capabilities.CAP_CHOWN,
        () -> fx.unpack(UnpackOptions.overlay().withDeferredOwners(true), layer));

    assertThat(s.deferredOwners()).containsExactly(new UnpackSummary.DeferredOwner("real/sub", 0, 42),
        new UnpackSummary.DeferredOwner("real/f", 1000, 1000), new UnpackSummary.DeferredOwner("l", 7, 7));
    assertThat(s.notes()).isEmpty();
  }

  @Test
  void foreignOwner_withoutChownAndDeferring_listsTheMappedIds() throws Exception {
    TarBuilder layer = new TarBuilder().file("f", "x", e -> e.setIds(1000, 42));

    UnpackSummary s = withoutCapability(Capabilities.CAP_CHOWN, () -> fx.unpack(UnpackOptions.overlay()
        .withIdMapping(u -> u + 100000, g -> g + 200000).withDeferredOwners(true), layer));

    assertThat(s.deferredOwners()).containsExactly(new UnpackSummary.DeferredOwner("f", 101000, 200042));
  }

  @Test
  void foreignOwner_withoutChown_isNotedAndTheFileWritten() throws Exception {
    TarBuilder layer = new TarBuilder().file("f", "x", e -> e.setIds(1234, 1234));

    UnpackSummary s = withoutCapability(Capabilities.CAP_CHOWN, () -> fx.unpack(UnpackOptions.overlay(), layer));

    assertThat(fx.root.resolve("f")).hasContent("x");
    assertThat(s.notes()).containsExactly("owner not applied (no CAP_CHOWN; run as root or map ids to your own): f");
  }

  private boolean chattr(String flag) throws Exception {
    Process p = new ProcessBuilder("chattr", flag, fx.root.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  private static <T> T withoutMknod(Supplier<T> work) throws Exception {
    return withoutCapability(Capabilities.CAP_MKNOD, work);
  }

  private static <T> T withoutCapability(int cap, Supplier<T> work) throws Exception {
    var thread = Executors.newSingleThreadExecutor();
    try {
      return CompletableFuture.supplyAsync(() -> {
        Capabilities.dropFromThisThread(cap);
        return work.get();
      }, thread).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause() : e;
    } finally {
      thread.shutdownNow();
    }
  }
}
