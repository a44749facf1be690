package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.ConflictException;
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
import dev.berth.internal.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * Before a start: registers a wait for the next exit with the engine, which answers the
   * headers at once (Docker, podman and Berth's server do), so that a container removed as it
   * exits ({@code autoRemove}) still gives its code; the code is read in the background.
   *
   * @return the waiting exchange, to close if the start fails
   */
  synchronized AutoCloseable armExit() {
    DockerHttp.Response r = http.send("POST", path("/wait?condition=next-exit"), Map.of(), null);
    exit = CompletableFuture.supplyAsync(() -> {
      try (r) {
        return Json.MAPPER.readTree(r.body()).path("StatusCode").asInt();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, engine.threads());
    return r;
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
      http.json("POST", path("/stop?t=" + seconds(timeout)), null);
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
    http.json("POST", path("/restart?t=" + seconds(stopTimeout)), null);
  }

  /** The API's whole seconds, rounded up: a grace time of 300 ms is not none. */
  private static long seconds(Duration timeout) {
    return Math.max(0, (timeout.toMillis() + 999) / 1000);
  }

  @Override
  public void rename(String newName) {
    http.json("POST", path("/rename?name=" + q(newName)), null);
    this.name = newName;
  }

  @Override
  public void connect(String network, List<String> aliases) {
    engine.networking().connect(id, name, network, aliases);
  }

  @Override
  public void disconnect(String network, boolean force) {
    engine.networking().disconnect(id, name, network, force);
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
      delete(force);
    } catch (ConflictException e) {
      // podman 4.3 races a container that exits while a forced removal stops it ("could not be
      // stopped: … container state improper: stopped"); it has stopped then, so once more does
      if (!force) {
        throw e;
      }
      delete(true);
    }
    engine.forget(id);
  }

  private void delete(boolean force) {
    try {
      http.json("DELETE", path("?force=" + force + "&v=true"), null); // its anonymous volumes too
    } catch (NotFoundException e) {
      if (!force) {
        throw e;
      }
      // gone already (auto-removed): nothing is left behind, as asked
    }
  }

  @Override
  public ExecProcess exec(ExecOptions options) {
    return RemoteExec.start(engine, id, name, options);
  }

  /** The local engine's terminal size, 24x80, which podman's service would leave at 0x0. */
  void initialSize() {
    try {
      resize(24, 80);
    } catch (BerthException e) {
      // exited already: there is no terminal left to size
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
    return RemoteLogs.read(http, path("/logs"), tty, options);
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
    return RemoteValues.container(http.container(q(id)));
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
