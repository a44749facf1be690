package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Container;
import dev.berth.ContainerProcess;
import dev.berth.ExecOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * Exec instances: create (a definition with an id), start (hijacked, or detached), inspect
 * (running, exit code — Testcontainers reads it right after the stream ends), resize.
 */
final class ExecRoutes {
  /** One exec instance; its exit code is set before its stream closes. */
  static final class Instance {
    final String id;
    final String containerId;
    final ExecOptions options;
    final boolean attachStdin;
    final boolean attachStdout;
    final boolean attachStderr;
    volatile ContainerProcess process;
    volatile boolean running;
    volatile Integer exitCode;

    Instance(String id, String containerId, ExecOptions options, boolean in, boolean out,
        boolean err) {
      this.id = id;
      this.containerId = containerId;
      this.options = options;
      this.attachStdin = in;
      this.attachStdout = out;
      this.attachStderr = err;
    }
  }

  private final ContainerRoutes containers;
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();

  ExecRoutes(ContainerRoutes containers) {
    this.containers = containers;
  }

  void register(Router r) {
    r.on("POST", "/containers/([^/]+)/exec", this::create);
    r.on("POST", "/exec/([^/]+)/start", this::start);
    r.on("POST", "/exec/([^/]+)/resize", this::resize);
    r.on("GET", "/exec/([^/]+)/json", this::inspect);
  }

  private void create(Exchange ex, Matcher m) {
    Container c = containers.find(m.group(1));
    if (!c.inspect().isRunning()) {
      throw ApiException.conflict("container " + c.id() + " is not running");
    }
    JsonNode body = ex.jsonBody();
    List<String> cmd = Json.strings(body, "Cmd");
    if (cmd.isEmpty()) {
      throw ApiException.badRequest("No exec command specified");
    }
    ExecOptions.Builder b = ExecOptions.builder(cmd.toArray(String[]::new));
    for (String kv : Json.strings(body, "Env")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        b.env(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
    String wd = Json.text(body, "WorkingDir");
    if (wd != null && !wd.isEmpty()) {
      b.workingDir(wd);
    }
    String user = Json.text(body, "User");
    if (user != null && !user.isEmpty()) {
      b.user(user);
    }
    boolean in = Json.bool(body, "AttachStdin");
    b.tty(Json.bool(body, "Tty")).stdinOpen(in);
    if (Json.bool(body, "Privileged")) {
      throw ApiException.badRequest("privileged exec is not supported by Berth: the process "
          + "gets the container's own privileges");
    }
    String id = Networks.randomId();
    instances.put(id, new Instance(id, c.id(), b.build(), in, Json.bool(body, "AttachStdout"),
        Json.bool(body, "AttachStderr")));
    ex.json(201, Json.object().put("Id", id));
  }

  private Instance find(String id) {
    Instance i = instances.get(id);
    if (i == null) {
      throw ApiException.notFound("No such exec instance: " + id);
    }
    return i;
  }

  private void start(Exchange ex, Matcher m) throws IOException {
    Instance i = find(m.group(1));
    JsonNode body = ex.jsonBody();
    synchronized (i) {
      if (i.running || i.exitCode != null) {
        throw ApiException.conflict("exec " + i.id + " has already been started");
      }
      i.running = true;
    }
    Container c = containers.find(i.containerId);
    ContainerProcess p;
    try {
      p = c.exec(i.options);
    } catch (RuntimeException e) {
      i.running = false;
      i.exitCode = 126;
      throw e;
    }
    i.process = p;
    if (Json.bool(body, "Detach")) {
      Thread t = new Thread(() -> finish(i, p), "berth-docker-api-exec-" + i.id.substring(0, 12));
      t.setDaemon(true);
      t.start();
      drain(p.getInputStream());
      drain(p.getErrorStream());
      ex.json(200, Json.object());
      return;
    }
    boolean tty = i.options.tty();
    OutputStream conn = ex.hijack(tty ? Frames.RAW : Frames.MULTIPLEXED);
    OutputStream out = tty ? Frames.raw(conn) : Frames.framing(conn, 1);
    OutputStream err = tty ? Frames.raw(conn) : Frames.framing(conn, 2);
    if (i.attachStdin) {
      InputStream stdin = ex.body();
      Thread t = new Thread(() -> {
        try (OutputStream to = p.getOutputStream()) {
          Attachments.pipeStdin(stdin, to);
        } catch (IOException | RuntimeException ignored) {
          // the process or the client ended; stdin closes either way
        }
      }, "berth-docker-api-exec-stdin");
      t.setDaemon(true);
      t.start();
    }
    Thread errPump = copy(p.getErrorStream(), i.attachStderr ? err : null);
    // join, not run(): run() would read stdout in this thread too, beside the pump, and two
    // readers of one stream reorder its chunks.
    Thread outPump = copy(p.getInputStream(), i.attachStdout ? out : null);
    try {
      outPump.join();
      errPump.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    finish(i, p);
    conn.close();
  }

  private static void finish(Instance i, ContainerProcess p) {
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      code = 255;
    }
    i.exitCode = code;
    i.running = false;
  }

  private static Thread copy(InputStream in, OutputStream out) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (out != null && n > 0) {
            out.write(buf, 0, n);
          }
        }
      } catch (IOException | RuntimeException ignored) {
        // the process ended or the client went
      }
    }, "berth-docker-api-exec-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void drain(InputStream in) {
    copy(in, null);
  }

  private void resize(Exchange ex, Matcher m) {
    Instance i = find(m.group(1));
    ContainerProcess p = i.process;
    if (p == null) {
      throw ApiException.conflict("exec " + i.id + " is not running");
    }
    p.resize(ex.intQuery("h", 24), ex.intQuery("w", 80));
    ex.whole(200, "text/plain", new byte[0]);
  }

  private void inspect(Exchange ex, Matcher m) {
    Instance i = find(m.group(1));
    ObjectNode o = Json.object();
    o.put("ID", i.id);
    o.put("Running", i.running);
    if (i.exitCode == null) {
      o.putNull("ExitCode");
    } else {
      o.put("ExitCode", i.exitCode);
    }
    ObjectNode pc = Json.object();
    pc.put("tty", i.options.tty());
    pc.put("entrypoint", i.options.command().get(0));
    pc.set("arguments", Json.array(i.options.command().subList(1, i.options.command().size())));
    pc.put("privileged", false);
    pc.put("user", i.options.user() == null ? "" : i.options.user());
    o.set("ProcessConfig", pc);
    o.put("OpenStdin", i.attachStdin);
    o.put("OpenStderr", i.attachStderr);
    o.put("OpenStdout", i.attachStdout);
    o.put("CanRemove", false);
    o.put("ContainerID", i.containerId);
    o.put("DetachKeys", "");
    o.put("Pid", 0);
    ex.json(200, o);
  }

}
