package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.ContainerStats;
import dev.berth.ContainerTop;
import dev.berth.ExecOptions;
import dev.berth.LogLine;
import dev.berth.LogOptions;
import dev.berth.NotFoundException;
import dev.berth.internal.engine.ContainerBackend;
import dev.berth.internal.engine.Exits;
import dev.berth.internal.runtime.ExecProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** A container of a remote engine, driven over the Docker Engine API. */
final class RemoteContainer implements ContainerBackend {
  private final RemoteEngine engine;
  private final DockerHttp http;
  private final String id;
  private volatile String name;
  private final boolean tty;
  /** The attached streams, when this handle started it attached; else null. */
  private volatile Attached attached;
  private volatile CompletableFuture<Integer> exit;

  /** Streams of an attach: the container's stdout and stderr, and its stdin. */
  record Attached(InputStream stdout, InputStream stderr, OutputStream stdin) {}

  RemoteContainer(RemoteEngine engine, JsonNode inspect) {
    this.engine = engine;
    this.http = engine.http();
    this.id = inspect.path("Id").asText();
    this.name = inspect.path("Name").asText().replaceFirst("^/", "");
    this.tty = inspect.path("Config").path("Tty").asBoolean();
  }

  void attached(Attached streams) {
    this.attached = streams;
  }

  private String path(String rest) {
    return "/containers/" + id + rest;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public InputStream stdout() {
    Attached a = attached;
    return a != null ? a.stdout() : InputStream.nullInputStream();
  }

  @Override
  public InputStream stderr() {
    Attached a = attached;
    return a != null ? a.stderr() : InputStream.nullInputStream();
  }

  @Override
  public OutputStream stdin() {
    Attached a = attached;
    if (a == null || a.stdin() == null) {
      throw new BerthException("container " + name + " has no stdin: start it with"
          + " RunOptions.builder().stdinOpen(true), not detached");
    }
    return a.stdin();
  }

  /** The exit of the current run, waited for by the engine ({@code POST /wait}) once asked. */
  synchronized CompletableFuture<Integer> exit() {
    if (exit == null || exit.isDone() && isAliveNow()) {
      exit = CompletableFuture.supplyAsync(
          () -> http.json("POST", path("/wait"), null).path("StatusCode").asInt(),
          engine.threads());
    }
    return exit;
  }

  private boolean isAliveNow() {
    try {
      return inspect().isRunning();
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public int waitFor() throws InterruptedException {
    return Exits.await(exit());
  }

  @Override
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return Exits.await(exit(), timeout);
  }

  @Override
  public CompletableFuture<?> onExit() {
    return exit();
  }

  @Override
  public int exitValue() {
    CompletableFuture<Integer> e = exit;
    if (e != null && e.isDone() && !e.isCompletedExceptionally()) {
      return e.join(); // an auto-removed container has nothing left to inspect
    }
    ContainerInfo info = inspect();
    if (info.state() != ContainerInfo.State.EXITED) {
      throw new IllegalThreadStateException("container " + name + " is "
          + (info.state() == ContainerInfo.State.CREATED ? "not started" : "still running"));
    }
    return info.exitCode();
  }

  @Override
  public boolean isAlive() {
    return isAliveNow();
  }

  @Override
  public void start() {
    http.json("POST", path("/start"), null);
  }

  @Override
  public void stop(Duration timeout) {
    try {
      http.json("POST", path("/stop?t=" + Math.max(0, timeout.toSeconds())), null);
    } catch (NotFoundException | dev.berth.ConflictException e) {
      throw e;
    } catch (BerthException e) {
      // podman 4 may answer 500 "timed out waiting for file …/exits/…" when its conmon is
      // slow to record an exit that did happen: wait for it before believing the error.
      try {
        if (!waitFor(Duration.ofSeconds(30))) {
          throw e;
        }
      } catch (InterruptedException i) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
  }

  @Override
  public void restart(Duration stopTimeout) {
    http.json("POST", path("/restart?t=" + Math.max(0, stopTimeout.toSeconds())), null);
  }

  @Override
  public void rename(String newName) {
    http.json("POST", path("/rename?name=" + q(newName)), null);
    this.name = newName;
  }

  @Override
  public void connect(String network, List<String> aliases) {
    http.json("POST", "/networks/" + q(network) + "/connect", Map.of("Container", id,
        "EndpointConfig", Map.of("Aliases", aliases)));
  }

  @Override
  public void disconnect(String network, boolean force) {
    http.json("POST", "/networks/" + q(network) + "/disconnect",
        Map.of("Container", id, "Force", force));
  }

  @Override
  public ContainerTop top() {
    JsonNode j = http.json("GET", path("/top"), null);
    List<List<String>> rows = new ArrayList<>();
    j.path("Processes").forEach(p -> rows.add(RemoteValues.strings(p)));
    return new ContainerTop(RemoteValues.strings(j.path("Titles")), rows);
  }

  @Override
  public void kill(String signal) {
    http.json("POST", path("/kill?signal=" + q(signal)), null);
  }

  @Override
  public void remove(boolean force) {
    try {
      http.json("DELETE", path("?force=" + force), null);
    } catch (NotFoundException e) {
      if (!force) {
        throw e;
      }
      // gone already (auto-removed): nothing is left behind, as asked
    }
    engine.forget(id);
  }

  @Override
  public ExecProcess exec(ExecOptions options) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Cmd", options.command());
    body.put("AttachStdout", true);
    body.put("AttachStderr", true);
    body.put("AttachStdin", options.stdinOpen());
    body.put("Tty", options.tty());
    RemoteCreate.putProcess(body, options.env(), options.workingDir(), options.user());
    String execId = http.json("POST", path("/exec"), body).path("Id").asText();
    DockerHttp.Response r = http.send("POST", "/exec/" + execId + "/start",
        Map.of("Connection", "Upgrade", "Upgrade", "tcp"),
        Map.of("Detach", false, "Tty", options.tty()));
    Frames.Split split = new Frames(r.body(), options.tty()).split(engine.threads(), () -> { });
    return new RemoteExec(execId, split, options.stdinOpen() ? r : null);
  }

  /** A process exec'd in the container; its exit code is the engine's once its output ends. */
  private final class RemoteExec implements ExecProcess {
    private final String execId;
    private final Frames.Split split;
    private final DockerHttp.Response stdin;

    RemoteExec(String execId, Frames.Split split, DockerHttp.Response stdin) {
      this.execId = execId;
      this.split = split;
      this.stdin = stdin;
    }

    @Override
    public InputStream stdout() {
      return split.stdout();
    }

    @Override
    public InputStream stderr() {
      return split.stderr();
    }

    @Override
    public OutputStream stdin() {
      if (stdin == null) {
        throw new BerthException("the exec'd process has no stdin: ask for it with"
            + " ExecOptions.builder(…).stdinOpen(true)");
      }
      return new HalfClosingStream(stdin.connection());
    }

    private JsonNode state() {
      return http.json("GET", "/exec/" + execId + "/json", null);
    }

    @Override
    public int waitFor() throws InterruptedException {
      while (true) {
        JsonNode s = state();
        if (!s.path("Running").asBoolean()) {
          return s.path("ExitCode").asInt();
        }
        Thread.sleep(50);
      }
    }

    @Override
    public int waitFor(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        JsonNode s = state();
        if (!s.path("Running").asBoolean()) {
          return s.path("ExitCode").asInt();
        }
        if (System.nanoTime() > deadline) {
          return -1;
        }
        Thread.sleep(50);
      }
    }

    @Override
    public int exitValue() {
      JsonNode s = state();
      if (s.path("Running").asBoolean()) {
        throw new IllegalThreadStateException("the exec'd process is still running");
      }
      return s.path("ExitCode").asInt();
    }

    @Override
    public void resize(int rows, int cols) {
      http.json("POST", "/exec/" + execId + "/resize?h=" + rows + "&w=" + cols, null);
    }
  }

  @Override
  public void resize(int rows, int cols) {
    http.json("POST", path("/resize?h=" + rows + "&w=" + cols), null);
  }

  @Override
  public String logs() {
    DockerHttp.Response r = http.send("GET", path("/logs?stdout=1&stderr=1"), Map.of(), null);
    try (r) {
      return new String(new Frames(r.body(), tty).readAll(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public Stream<LogLine> logs(LogOptions options) {
    StringBuilder q = new StringBuilder("/logs?timestamps=1&stdout=" + options.stdout()
        + "&stderr=" + options.stderr() + "&follow=" + options.follow());
    if (options.since() != null) {
      q.append("&since=").append(options.since().getEpochSecond());
    }
    if (options.until() != null) {
      q.append("&until=").append(options.until().getEpochSecond());
    }
    if (options.tail() >= 0) {
      q.append("&tail=").append(options.tail());
    }
    DockerHttp.Response r = http.send("GET", path(q.toString()), Map.of(), null);
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

  /** {@code 2024-01-02T03:04:05.123456789Z text}: the engine's time, then the line. */
  private static LogLine line(int stream, String timestamped) {
    int space = timestamped.indexOf(' ');
    Instant time = space > 0 ? RemoteValues.time(
        new com.fasterxml.jackson.databind.node.TextNode(timestamped.substring(0, space))) : null;
    return new LogLine(time == null ? Instant.EPOCH : time,
        stream == Frames.STDERR ? "stderr" : "stdout",
        time == null ? timestamped : timestamped.substring(space + 1));
  }

  @Override
  public ContainerStats stats() {
    throw engine.unsupported("stats", "the remote engine's statistics are not read yet; use"
        + " docker stats against the engine");
  }

  @Override
  public void pause(boolean paused) {
    http.json("POST", path(paused ? "/pause" : "/unpause"), null);
  }

  @Override
  public void copyTo(Path host, String containerPath) {
    RemoteCopies.copyTo(http, id, host, containerPath);
  }

  @Override
  public void copyFrom(String containerPath, Path host) {
    RemoteCopies.copyFrom(http, id, containerPath, host);
  }

  @Override
  public ContainerInfo inspect() {
    return RemoteValues.container(http.json("GET", path("/json"), null));
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Stdin on a hijacked connection: closing it half-closes the socket (end-of-file). */
  static final class HalfClosingStream extends OutputStream {
    private final DockerHost.Connection c;

    HalfClosingStream(DockerHost.Connection c) {
      this.c = c;
    }

    @Override
    public void write(int b) throws IOException {
      c.out().write(b);
      c.out().flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      c.out().write(b, off, len);
      c.out().flush();
    }

    @Override
    public void close() throws IOException {
      c.halfClose().shutdownOutput();
    }
  }
}
