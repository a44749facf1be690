package dev.berth.internal.remote;

import dev.berth.LogLine;
import dev.berth.LogOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

/** A remote container's log as {@link LogLine}s: Docker's frames, with the engine's times. */
final class RemoteLogs {
  private RemoteLogs() {}

  /** Reads (or follows) the log at {@code logs}, {@code /containers/{id}/logs}. */
  static Stream<LogLine> read(DockerHttp http, String logs, boolean tty, LogOptions options) {
    StringBuilder q = new StringBuilder(logs + "?timestamps=1&stdout=" + options.stdout()
        + "&stderr=" + options.stderr() + "&follow=" + options.follow());
    if (options.since() != null) {
      q.append("&since=").append(unixTime(options.since()));
    }
    if (options.until() != null) {
      q.append("&until=").append(unixTime(options.until()));
    }
    if (options.tail() >= 0) {
      q.append("&tail=").append(options.tail());
    }
    DockerHttp.Response r = http.send("GET", q.toString(), Map.of(), null);
    Frames frames = new Frames(r.body(), tty);
    java.util.Iterator<LogLine> lines = new java.util.Iterator<>() {
      private final java.util.ArrayDeque<LogLine> ready = new java.util.ArrayDeque<>();
      private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};

      @Override
      public boolean hasNext() {
        try {
          while (ready.isEmpty()) {
            Frames.Frame f = frames.next();
            if (f == null) {
              return false;
            }
            StringBuilder p = partial[f.stream() - 1];
            p.append(new String(f.payload(), StandardCharsets.UTF_8));
            for (int nl = p.indexOf("\n"); nl >= 0; nl = p.indexOf("\n")) {
              ready.add(line(f.stream(), p.substring(0, nl + 1)));
              p.delete(0, nl + 1);
            }
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public LogLine next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.poll();
      }
    };
    return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(
        lines, java.util.Spliterator.ORDERED), false).onClose(r::close);
  }

  /** {@code 1700000000.123456789}: Unix seconds with the nanoseconds, as the docker CLI sends. */
  private static String unixTime(Instant t) {
    return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
  }

  /** {@code 2024-01-02T03:04:05.123456789Z text}: the engine's time, then the line. */
  private static LogLine line(int stream, String timestamped) {
    int space = timestamped.indexOf(' ');
    Instant time = space > 0 ? RemoteValues.time(
        new com.fasterxml.jackson.databind.node.TextNode(timestamped.substring(0, space))) : null;
    return new LogLine(time == null ? Instant.EPOCH : time,
        stream == Frames.STDERR ? "stderr" : "stdout",
        time == null ? timestamped : timestamped.substring(space + 1));
  }
}
