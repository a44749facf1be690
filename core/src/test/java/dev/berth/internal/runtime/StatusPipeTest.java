package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status FIFO read on the starting thread, with real processes writing to it (or not). */
class StatusPipeTest {
  @TempDir Path tmp;

  @Test
  void readsTheFirstLine_ofAWriterThatGoesOnAndSaysMore() throws Exception {
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = new ProcessBuilder("sh", "-c", "sleep 0.2; printf 'BERTH1 started 7\\nmore' > \"$0\"; sleep 5",
          pipe.path().toString()).start();
      try {
        assertThat(pipe.firstLine(p, Duration.ofSeconds(10))).isEqualTo("BERTH1 started 7");
        assertThat(Files.exists(pipe.path())).as("the FIFO, removed once read").isFalse();
      } finally {
        p.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void aWriterThatEndsWithoutANewline_givesWhatItSaid() throws Exception {
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = new ProcessBuilder("sh", "-c", "printf 'half a line' > \"$0\"", pipe.path().toString()).start();
      assertThat(pipe.firstLine(p, Duration.ofSeconds(10))).isEqualTo("half a line");
    }
  }

  @Test
  void aWriterThatSaysNothing_timesOut_andTheFifoIsGone() throws Exception {
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = new ProcessBuilder("sleep", "10").start();
      try {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> pipe.firstLine(p, Duration.ofMillis(300)))
            .isInstanceOf(TimeoutException.class).hasMessageContaining("PT0.3S");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(290L, 5_000L);
        assertThat(Files.exists(pipe.path())).isFalse();
      } finally {
        p.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void anInterruptedWait_endsAtOnce() throws Exception {
    try (StatusPipe pipe = StatusPipe.create(tmp.resolve("status"))) {
      Process p = new ProcessBuilder("sleep", "10").start();
      try {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> pipe.firstLine(p, Duration.ofSeconds(10))).isInstanceOf(InterruptedException.class);
      } finally {
        Thread.interrupted();
        p.destroyForcibly().waitFor();
      }
    }
  }
}
