package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testsupport.BusyboxEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container's exit reaches {@code onExit()} and {@code exec} while the app keeps every
 * CompletableFuture async thread busy, as a caller reading a stream in {@code supplyAsync}
 * does. On JDK 25 those threads are the common pool even with one or two CPUs; docker-api's
 * {@code docker run} hung there when the exit went through {@code Process.onExit()}.
 */
class ContainerExitCommonPoolTest {
  @TempDir static Path home;
  static BusyboxEngine engine;
  private volatile boolean release;
  private final List<CompletableFuture<Void>> blockers = new ArrayList<>();

  @BeforeAll
  static void pull() {
    engine = BusyboxEngine.start(home, "running containers as root");
  }

  @AfterAll
  static void close() {
    if (engine != null) engine.close();
  }

  /** Occupies every thread CompletableFuture's async methods use, without letting the pool add any. */
  private void blockTheAsyncPool() {
    for (int i = 0; i < Math.max(1, ForkJoinPool.getCommonPoolParallelism()); i++) {
      blockers.add(CompletableFuture.runAsync(() -> {
        while (!release) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
  }

  @AfterEach
  void releaseThePool() {
    release = true;
    blockers.forEach(CompletableFuture::join);
  }

  @Test
  void onExit_withTheAsyncPoolBusy_completesWhenTheContainerExits() throws Exception {
    blockTheAsyncPool();
    try (Container c = engine.busybox().run("sh", "-c", "exit 7")) {
      assertThat(c.onExit().get(20, TimeUnit.SECONDS).exitValue()).isEqualTo(7);
    }
  }

  @Test
  void exec_withTheAsyncPoolBusy_returnsBothStreams() throws Exception {
    try (Container c = engine.busybox().run("sleep", "60")) {
      blockTheAsyncPool();
      CompletableFuture<ExecResult> r = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          r.complete(c.exec("sh", "-c", "echo out; echo err >&2"));
        } catch (Throwable e) {
          r.completeExceptionally(e);
        }
      });
      t.start();
      ExecResult result = r.get(20, TimeUnit.SECONDS);
      assertThat(result.stdout()).isEqualTo("out\n");
      assertThat(result.stderr()).isEqualTo("err\n");
      c.kill();
    }
  }
}
