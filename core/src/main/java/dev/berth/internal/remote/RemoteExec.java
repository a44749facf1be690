package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.ConflictException;
import dev.berth.ExecOptions;
import dev.berth.internal.runtime.ExecProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A process exec'd in a remote container; its exit code is the engine's once its output ends. */
final class RemoteExec implements ExecProcess {
  private final DockerHttp http;
  private final String execId;
  private final Frames.Split split;
  private final DockerHttp.Response stdin;

  private RemoteExec(DockerHttp http, String execId, Frames.Split split,
      DockerHttp.Response stdin) {
    this.http = http;
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
    return new RemoteContainer.HalfClosingStream(stdin.connection());
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

  /** Creates and starts {@code options}' process in container {@code id} ({@code name}). */
  static ExecProcess start(RemoteEngine engine, String id, String name, ExecOptions options) {
    DockerHttp http = engine.http();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Cmd", options.command());
    body.put("AttachStdout", true);
    body.put("AttachStderr", true);
    body.put("AttachStdin", options.stdinOpen());
    body.put("Tty", options.tty());
    RemoteCreate.putProcess(body, options.env(), options.workingDir(), options.user());
    String execId;
    try {
      execId = http.json("POST", "/containers/" + id + "/exec", body).path("Id").asText();
    } catch (ConflictException e) { // Docker's 409, podman's "state improper"
      ConflictException stopped = new ConflictException("container " + name + " is not running;"
          + " exec needs a running container (" + e.getMessage() + ")");
      stopped.initCause(e);
      throw stopped;
    }
    DockerHttp.Response r;
    try {
      r = http.send("POST", "/exec/" + execId + "/start",
          Map.of("Connection", "Upgrade", "Upgrade", "tcp"),
          Map.of("Detach", false, "Tty", options.tty()));
    } catch (BerthException e) {
      throw StartFailures.typed("exec " + options.command() + " in container " + name
          + " could not start", e);
    }
    Frames.Split split = new Frames(r.body(), options.tty()).split(engine.threads(), () -> { });
    return new RemoteExec(http, execId, split, options.stdinOpen() ? r : null);
  }
}
