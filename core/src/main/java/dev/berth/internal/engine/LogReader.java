package dev.berth.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import dev.berth.internal.util.Json;
import dev.berth.internal.util.Rfc3339;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Reads the monitor's json-file log (one {"log","stream","time"} object a line). */
final class LogReader {

  private LogReader() {}

  /**
   * @param running while true, a following reader waits for more lines at the end of the file
   */
  static Stream<LogLine> read(Path log, LogOptions opts, BooleanSupplier running) {
    List<LogLine> existing = new ArrayList<>();
    long offset = readFrom(log, 0, opts, existing);
    List<LogLine> start = opts.tail() >= 0 && existing.size() > opts.tail()
        ? existing.subList(existing.size() - opts.tail(), existing.size()) : existing;
    if (!opts.follow()) {
      return start.stream();
    }
    Iterator<LogLine> it = new Iterator<>() {
      final Deque<LogLine> queue = new ArrayDeque<>(start);
      long pos = offset;
      boolean done;

      @Override
      public boolean hasNext() {
        while (queue.isEmpty() && !done) {
          boolean wasRunning = running.getAsBoolean();
          List<LogLine> more = new ArrayList<>();
          pos = readFrom(log, pos, opts, more);
          queue.addAll(more);
          if (queue.isEmpty()) {
            if (!wasRunning) {
              done = true; // exited, and everything it wrote has been read
            } else {
              sleep();
            }
          }
        }
        return !queue.isEmpty();
      }

      @Override
      public LogLine next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return queue.poll();
      }
    };
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED),
        false);
  }

  /** Reads complete lines from {@code offset}; returns the offset after the last one read. */
  private static long readFrom(Path log, long offset, LogOptions opts, List<LogLine> out) {
    if (!Files.exists(log)) {
      return offset;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      f.seek(offset);
      BufferedReader r = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(f.getChannel()), StandardCharsets.UTF_8));
      long pos = offset;
      for (String line; (line = r.readLine()) != null; ) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (pos + bytes.length + 1 > f.length()) {
          break; // the monitor is writing this line: read it next time
        }
        pos += bytes.length + 1;
        LogLine l = parse(line);
        if (l != null && keep(l, opts)) {
          out.add(l);
        }
      }
      return pos;
    } catch (NoSuchFileException e) {
      return offset;
    } catch (IOException e) {
      throw new BerthException("cannot read the container log " + log + ": " + e, e);
    }
  }

  private static LogLine parse(String line) throws IOException {
    if (line.isBlank()) {
      return null;
    }
    JsonNode n = Json.MAPPER.readTree(line);
    return new LogLine(Rfc3339.parse(n.path("time").asText()), n.path("stream").asText(),
        n.path("log").asText());
  }

  private static boolean keep(LogLine l, LogOptions o) {
    return (o.stdout() || !"stdout".equals(l.stream()))
        && (o.stderr() || !"stderr".equals(l.stream()))
        && (o.since() == null || !l.time().isBefore(o.since()))
        && (o.until() == null || l.time().isBefore(o.until()));
  }

  private static void sleep() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException("interrupted while following a log", e);
    }
  }
}
