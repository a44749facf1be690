package dev.berth.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.LogLine;
import dev.berth.LogOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor's json-file log as {@code docker logs} reads it: real files, no root. */
class LogReaderTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void read_everyLineOfBothStreams_inOrder() throws IOException {
    Path log = log(line(0, "stdout", "one\n"), line(1, "stderr", "two\n"), line(2, "stdout", "three\n"));

    assertThat(texts(LogReader.read(log, LogOptions.builder().build(), () -> false)))
        .containsExactly("one\n", "two\n", "three\n");
  }

  @Test
  void read_oneStreamOnly() throws IOException {
    Path log = log(line(0, "stdout", "out\n"), line(1, "stderr", "err\n"));

    assertThat(texts(LogReader.read(log, LogOptions.builder().stdout(false).build(), () -> false)))
        .containsExactly("err\n");
  }

  @Test
  void read_tail_keepsTheLastLines() throws IOException {
    Path log = log(line(0, "stdout", "a\n"), line(1, "stdout", "b\n"), line(2, "stdout", "c\n"));

    assertThat(texts(LogReader.read(log, LogOptions.builder().tail(2).build(), () -> false)))
        .containsExactly("b\n", "c\n");
  }

  @Test
  void read_sinceAndUntil_keepLinesFromSinceAndBeforeUntil() throws IOException {
    Path log = log(line(0, "stdout", "a\n"), line(1, "stdout", "b\n"), line(2, "stdout", "c\n"));
    LogOptions opts = LogOptions.builder().since(T0.plusSeconds(1)).until(T0.plusSeconds(2)).build();

    assertThat(texts(LogReader.read(log, opts, () -> false))).containsExactly("b\n");
  }

  @Test
  void read_aLineTheMonitorIsStillWriting_isLeftForLater() throws IOException {
    Path log = log(line(0, "stdout", "done\n"));
    Files.writeString(log, "{\"log\":\"half", StandardOpenOption.APPEND);

    assertThat(texts(LogReader.read(log, LogOptions.builder().build(), () -> false))).containsExactly("done\n");
  }

  @Test
  void read_noLogYet_isEmpty() {
    assertThat(LogReader.read(dir.resolve("container.log"), LogOptions.builder().build(), () -> false)).isEmpty();
  }

  @Test
  void follow_readsWhatIsWrittenWhileRunning_andEndsOnceExited() throws IOException {
    Path log = log(line(0, "stdout", "first\n"));
    AtomicBoolean running = new AtomicBoolean(true);
    Stream<LogLine> lines = LogReader.read(log, LogOptions.builder().follow(true).build(), () -> {
      // the container writes its last line and exits while the reader waits
      if (running.getAndSet(false)) {
        append(log, line(1, "stdout", "last\n"));
      }
      return running.get();
    });

    assertThat(texts(lines)).containsExactly("first\n", "last\n");
  }

  private Path log(String... lines) throws IOException {
    Path log = dir.resolve("container.log");
    Files.writeString(log, String.join("", lines), StandardCharsets.UTF_8);
    return log;
  }

  private static void append(Path log, String line) {
    try {
      Files.writeString(log, line, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One line as the monitor writes it, {@code seconds} after T0. */
  private static String line(int seconds, String stream, String text) {
    return "{\"log\":\"" + text.replace("\n", "\\n") + "\",\"stream\":\"" + stream + "\",\"time\":\""
        + T0.plusSeconds(seconds) + "\"}\n";
  }

  private static List<String> texts(Stream<LogLine> lines) {
    return lines.map(LogLine::text).toList();
  }
}
