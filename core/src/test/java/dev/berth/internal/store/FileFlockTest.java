package dev.berth.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start lock's flock(2): between threads of one JVM, against another process, and in a removed dir. */
class FileFlockTest {
  @TempDir Path dir;

  @Test
  void aSecondThread_waitsUntilTheFirstLetsGo() throws Exception {
    Path file = dir.resolve("start.lock");
    AtomicBoolean got = new AtomicBoolean();
    CountDownLatch tried = new CountDownLatch(1);
    Thread other;
    try (FileFlock held = FileFlock.acquireInExisting(file).orElseThrow()) {
      other = new Thread(() -> {
        tried.countDown();
        try (FileFlock second = FileFlock.acquireInExisting(file).orElseThrow()) {
          got.set(true);
        }
      });
      other.start();
      assertThat(tried.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);
      assertThat(got).as("taken while held").isFalse();
    }
    other.join(5_000);
    assertThat(got).as("taken once let go").isTrue();
  }

  @Test
  void anotherProcess_holdingIt_keepsThisJvmWaiting() throws Exception {
    Path file = dir.resolve("start.lock");
    Files.createFile(file);
    // util-linux flock(1) holds an flock on the file while its command runs
    Process holder = new ProcessBuilder("flock", file.toString(), "sh", "-c", "echo held; sleep 0.5").start();
    assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");
    long t0 = System.nanoTime();
    try (FileFlock lock = FileFlock.acquireInExisting(file).orElseThrow()) {
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isGreaterThan(200);
      assertThat(holder.waitFor(5, TimeUnit.SECONDS)).as("the holder, done").isTrue();
    }
  }

  @Test
  void inADirectoryThatIsGone_isEmpty_andMakesNoDirectory() throws Exception {
    Path gone = dir.resolve("container");
    assertThat(FileFlock.acquireInExisting(gone.resolve("start.lock"))).isEmpty();
    assertThat(gone).doesNotExist();
  }
}
