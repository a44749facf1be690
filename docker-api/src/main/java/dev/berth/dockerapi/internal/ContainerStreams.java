package dev.berth.dockerapi.internal;

import dev.berth.Container;
import dev.berth.ContainerInfo;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * A container's output and input over the API: {@code attach} (hijacked, raw or multiplexed),
 * {@code logs}, and the relay that pumps a container started in attached mode to whoever
 * attached to it (Docker's {@code run} attaches before it starts).
 */
final class ContainerStreams {
  private final Events events;
  private final Function<String, Container> find;
  private final Attachments attachments = new Attachments();

  /** @param find the container of an id or name, or a 404 {@link ApiException} */
  ContainerStreams(Events events, Function<String, Container> find) {
    this.events = events;
    this.find = find;
  }

  /** Registers attach and logs under {@code id}, the container path pattern. */
  void register(Router r, String id) {
    r.on("POST", id + "/attach", this::attach);
    r.on("GET", id + "/logs", this::logs);
  }

  /** Ends every attachment of container {@code id}: its streams are over. */
  void endAll(String id) {
    attachments.endAll(id);
  }

  /** Pumps an attached-mode container's streams to its attachments (or nowhere). */
  void relay(Container c, ContainerInfo info) {
    String id = c.id();
    Thread out = pump("stdout", id, c.getInputStream(), false);
    Thread err = pump("stderr", id, c.getErrorStream(), true);
    for (Attachments.Attachment a : attachments.of(id)) {
      if (a.stdin != null && info.options().process().stdinOpen()) {
        Thread in = new Thread(() -> {
          try (OutputStream stdin = c.getOutputStream()) {
            Attachments.pipeStdin(a.stdin, stdin);
          } catch (IOException | RuntimeException ignored) {
            // the container or the client went; its stdin closes either way
          }
        }, "berth-docker-api-stdin-" + id.substring(0, 12));
        in.setDaemon(true);
        in.start();
      }
    }
    Thread closer = new Thread(() -> {
      try {
        out.join();
        err.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      attachments.endAll(id);
    }, "berth-docker-api-relay-" + id.substring(0, 12));
    closer.setDaemon(true);
    closer.start();
  }

  private Thread pump(String name, String id, InputStream in, boolean err) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          attachments.relay(id, err, buf, n);
        }
      } catch (IOException ignored) {
        // the monitor closed the stream: the container ended
      }
    }, "berth-docker-api-" + name + "-" + id.substring(0, 12));
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void attach(Exchange ex, Matcher m) throws Exception {
    Container c = find.apply(m.group(1));
    ContainerInfo info = c.inspect();
    boolean tty = info.options().process().tty();
    boolean wantOut = ex.flag("stdout", false);
    boolean wantErr = ex.flag("stderr", false);
    boolean wantIn = ex.flag("stdin", false);
    boolean logs = ex.flag("logs", false);
    boolean relayable = !info.options().detach() && !info.isRunning();
    OutputStream conn = ex.hijack(tty ? Frames.RAW : Frames.MULTIPLEXED);
    OutputStream out = tty ? Frames.raw(conn) : Frames.framing(conn, 1);
    OutputStream err = tty ? Frames.raw(conn) : Frames.framing(conn, 2);
    try {
      if (logs) {
        writeLogs(c, LogOptions.builder().build(), out, err, false, wantOut, wantErr);
      }
      if (!ex.flag("stream", false)) {
        return;
      }
      if (relayable) {
        Attachments.Attachment a = new Attachments.Attachment(wantOut ? out : null,
            wantErr ? err : null, wantIn ? ex.body() : null);
        attachments.add(c.id(), a);
        events.container("attach", c.id(), c.name(), info.image(), Map.of());
        ex.closeFuture().addListener(f -> a.ended.complete(null));
        a.ended.join();
        attachments.remove(c.id(), a);
        return;
      }
      if (info.isRunning()) {
        // Started detached (or by another JVM): its output from now on, from the log.
        writeLogs(c, LogOptions.builder().since(Instant.now()).follow(true).build(), out, err,
            false, wantOut, wantErr);
      }
    } finally {
      conn.close();
    }
  }

  private void logs(Exchange ex, Matcher m) throws IOException {
    Container c = find.apply(m.group(1));
    ContainerInfo info = c.inspect();
    boolean wantOut = ex.flag("stdout", false);
    boolean wantErr = ex.flag("stderr", false);
    if (!wantOut && !wantErr) {
      throw ApiException.badRequest("Bad parameters: you must choose at least one stream");
    }
    LogOptions.Builder o = LogOptions.builder().follow(ex.flag("follow", false));
    Instant since = time(ex.query("since"));
    if (since != null && since.getEpochSecond() > 0) {
      o.since(since);
    }
    Instant until = time(ex.query("until"));
    if (until != null && until.getEpochSecond() > 0) {
      o.until(until);
    }
    String tail = ex.query("tail");
    if (tail != null && !tail.isEmpty() && !tail.equals("all")) {
      o.tail(ex.intQuery("tail", -1));
    }
    boolean tty = info.options().process().tty();
    OutputStream conn = ex.stream(200, tty ? Frames.RAW : Frames.MULTIPLEXED);
    OutputStream out = tty ? Frames.raw(conn) : Frames.framing(conn, 1);
    OutputStream err = tty ? Frames.raw(conn) : Frames.framing(conn, 2);
    writeLogs(c, o.build(), out, err, ex.flag("timestamps", false), wantOut, wantErr);
    conn.close();
  }

  private static void writeLogs(Container c, LogOptions options, OutputStream out,
      OutputStream err, boolean timestamps, boolean wantOut, boolean wantErr) throws IOException {
    try (Stream<LogLine> lines = c.logs(options)) {
      for (var it = lines.iterator(); it.hasNext(); ) {
        LogLine l = it.next();
        boolean isErr = "stderr".equals(l.stream());
        if (isErr ? !wantErr : !wantOut) {
          continue;
        }
        String text = timestamps ? l.time().toString() + " " + l.text() : l.text();
        (isErr ? err : out).write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /** Docker's since/until: unix seconds, with an optional fraction, or RFC 3339. */
  static Instant time(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    try {
      if (text.matches("\\d+(\\.\\d+)?")) {
        java.math.BigDecimal d = new java.math.BigDecimal(text);
        long secs = d.longValue();
        long nanos = d.subtract(java.math.BigDecimal.valueOf(secs)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(secs, nanos);
      }
      return Instant.parse(text);
    } catch (RuntimeException e) {
      throw ApiException.badRequest("invalid time " + text
          + ": use unix seconds or RFC 3339 (2006-01-02T15:04:05Z)");
    }
  }
}
