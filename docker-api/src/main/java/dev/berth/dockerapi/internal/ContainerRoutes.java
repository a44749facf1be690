package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ContainerInfo;
import dev.berth.ContainerStartException;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * Containers: create, start, stop, kill, restart, wait, attach, logs, resize, list, inspect,
 * rename, pause, unpause, remove, prune. A container created here with attached streams has
 * them relayed by this server to whoever attaches (Docker's {@code run} attaches first);
 * attach, logs and that relay are {@link ContainerStreams}'s.
 */
final class ContainerRoutes {
  private static final String ID = "/containers/([^/]+)";

  private final Berth berth;
  private final Events events;
  private final ContainerStreams streams;
  /** The exit of each container's current (or next) run, for wait: kept after --rm removes it. */
  private final Map<String, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
  /** The last exit code of containers this server ran, for wait on a removed one. */
  private final Map<String, Integer> lastExit = new ConcurrentHashMap<>();

  /** Every container created here is tied to this JVM ({@link RunOptionsBuilder#removeWithJvm}). */
  private final boolean removeWithJvm;

  ContainerRoutes(Berth berth, Events events, boolean removeWithJvm) {
    this.berth = berth;
    this.events = events;
    this.removeWithJvm = removeWithJvm;
    this.streams = new ContainerStreams(events, this::find);
  }

  void register(Router r) {
    r.on("GET", "/containers/json", (ex, m) -> list(ex));
    r.on("POST", "/containers/create", (ex, m) -> create(ex));
    r.on("POST", "/containers/prune", (ex, m) -> prune(ex));
    r.on("GET", ID + "/json", this::inspect);
    r.on("POST", ID + "/start", this::start);
    r.on("POST", ID + "/stop", this::stop);
    r.on("POST", ID + "/kill", this::kill);
    r.on("POST", ID + "/restart", this::restart);
    r.on("POST", ID + "/wait", this::await);
    r.on("POST", ID + "/resize", this::resize);
    r.on("POST", ID + "/rename", this::rename);
    r.on("POST", ID + "/pause", (ex, m) -> pause(ex, m, true));
    r.on("POST", ID + "/unpause", (ex, m) -> pause(ex, m, false));
    r.on("GET", ID + "/top", this::top);
    r.on("DELETE", ID, this::remove);
    streams.register(r, ID);
  }

  /** @return whether what is created here dies with this JVM (networks too, see {@link NetworkOwners}) */
  boolean removeWithJvm() {
    return removeWithJvm;
  }

  Container find(String idOrName) {
    String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
    try {
      return berth.container(name);
    } catch (BerthException e) {
      throw ApiException.notFound("No such container: " + name);
    }
  }

  // ---- create and start

  private void create(Exchange ex) {
    JsonNode body = ex.jsonBody();
    Networks.idsToNames(berth, body);
    CreateRequest.Parsed parsed = CreateRequest.parse(body, ex.query("name"));
    dev.berth.Image image;
    try {
      image = berth.image(parsed.image());
    } catch (dev.berth.ImageNotFoundException e) {
      throw ApiException.notFound("No such image: " + parsed.image());
    }
    if (parsed.options().network().publishAll()) {
      // -P publishes the image's exposed ports on every interface, as Docker does.
      parsed = CreateRequest.parse(body, ex.query("name"), image.inspect().exposedPorts());
    }
    Container c = image.create(removeWithJvm
        ? parsed.options().toBuilder().removeWithJvm(true).build() : parsed.options());
    events.container("create", c.id(), c.name(), parsed.image(), Map.of());
    ex.json(201, Json.object().put("Id", c.id()).set("Warnings", Json.array()));
  }

  private void start(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    ContainerInfo info = c.inspect();
    if (info.isRunning()) {
      ex.headersOnly(304, Map.of());
      return;
    }
    CompletableFuture<Integer> exit = exits.computeIfAbsent(c.id(), k -> new CompletableFuture<>());
    try {
      c.start();
    } catch (ContainerStartException e) {
      exits.remove(c.id(), exit);
      lastExit.put(c.id(), e.exitCode());
      exit.complete(e.exitCode());
      streams.endAll(c.id());
      events.container("die", c.id(), c.name(), info.image(),
          Map.of("exitCode", String.valueOf(e.exitCode())));
      throw ApiException.badRequest("failed to create task for container: " + e.getMessage()
          + ": unknown");
    }
    events.container("start", c.id(), c.name(), info.image(), Map.of());
    boolean relayed = !info.options().detach();
    if (relayed) {
      streams.relay(c, info);
    }
    c.onExit().whenComplete((done, err) -> {
      int code = err == null ? done.exitValue() : 255;
      lastExit.put(c.id(), code);
      exits.remove(c.id(), exit);
      exit.complete(code);
      events.container("die", c.id(), c.name(), info.image(),
          Map.of("exitCode", String.valueOf(code)));
    });
    ex.noContent();
  }

  // ---- control

  private void stop(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    if (!c.inspect().isRunning()) {
      ex.headersOnly(304, Map.of());
      return;
    }
    c.stop(Duration.ofSeconds(ex.intQuery("t", 10)));
    events.container("stop", c.id(), c.name(), null, Map.of());
    ex.noContent();
  }

  private void kill(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    if (!c.inspect().isRunning()) {
      throw ApiException.conflict("Cannot kill container: " + m.group(1) + ": container "
          + c.id() + " is not running");
    }
    String signal = ex.query("signal");
    c.kill(signal == null || signal.isEmpty() ? "SIGKILL" : signal);
    events.container("kill", c.id(), c.name(), null, Map.of("signal",
        signal == null ? "SIGKILL" : signal));
    ex.noContent();
  }

  private void restart(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    if (c.inspect().isRunning()) {
      c.stop(Duration.ofSeconds(ex.intQuery("t", 10)));
    }
    start(ex, m);
    events.container("restart", c.id(), c.name(), null, Map.of());
  }

  private void pause(Exchange ex, Matcher m, boolean paused) {
    Container c = find(m.group(1));
    if (paused) {
      c.pause();
    } else {
      c.unpause();
    }
    events.container(paused ? "pause" : "unpause", c.id(), c.name(), null, Map.of());
    ex.noContent();
  }

  private void resize(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    c.resize(ex.intQuery("h", 24), ex.intQuery("w", 80));
    ex.whole(200, "text/plain", new byte[0]);
  }

  private void rename(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    String name = ex.query("name");
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("Neither old nor new names may be empty");
    }
    String old = c.name();
    try {
      c.rename(name.startsWith("/") ? name.substring(1) : name);
    } catch (BerthException e) {
      throw ApiException.conflict(e.getMessage());
    }
    events.container("rename", c.id(), name, null, Map.of("oldName", "/" + old));
    ex.noContent();
  }

  private void top(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    if (!c.inspect().isRunning()) {
      throw ApiException.conflict("Container " + c.id() + " is not running");
    }
    var table = c.top();
    ObjectNode o = Json.object();
    o.set("Titles", Json.array(table.titles()));
    ArrayNode rows = Json.array();
    table.processes().forEach(p -> rows.add(Json.array(p)));
    o.set("Processes", rows);
    ex.json(200, o);
  }

  /** {@code wait?condition=not-running|next-exit|removed}: headers at once, the code at exit. */
  private void await(Exchange ex, Matcher m) throws IOException {
    String condition = ex.query("condition");
    condition = condition == null || condition.isEmpty() ? "not-running" : condition;
    if (!List.of("not-running", "next-exit", "removed").contains(condition)) {
      throw ApiException.badRequest("invalid condition: \"" + condition + "\"");
    }
    Container c = find(m.group(1));
    String id = c.id();
    ContainerInfo info = c.inspect();
    CompletableFuture<Integer> exit;
    if (condition.equals("not-running") && !info.isRunning()) {
      exit = CompletableFuture.completedFuture(info.exitCode());
    } else {
      exit = exits.computeIfAbsent(id, k -> new CompletableFuture<>());
      if (info.isRunning() && !lastExit.containsKey(id) && !exit.isDone()) {
        // Not started by this server: watch it the slow way.
        CompletableFuture<Integer> watched = exit;
        c.onExit().thenAccept(done -> watched.complete(done.exitValue()));
      }
    }
    OutputStream out = ex.stream(200, "application/json");
    int code;
    try {
      code = exit.get();
    } catch (Exception e) {
      code = 255;
    }
    if (condition.equals("removed") && info.options().autoRemove()) {
      awaitRemoval(id);
    }
    out.write(Json.line(Json.object().put("StatusCode", code).putNull("Error")));
    out.close();
  }

  private void awaitRemoval(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        berth.container(id);
      } catch (BerthException gone) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void remove(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    ContainerInfo info = c.inspect();
    boolean force = ex.flag("force", false);
    if (info.isRunning() && !force) {
      throw ApiException.conflict("cannot remove container \"/" + c.name() + "\": container is "
          + "running: stop the container before removing or force remove");
    }
    c.remove(force);
    events.container("destroy", c.id(), c.name(), info.image(), Map.of());
    ex.noContent();
  }

  private void prune(Exchange ex) {
    List<String> removed = berth.pruneContainers();
    ObjectNode o = Json.object();
    o.set("ContainersDeleted", Json.array(removed));
    o.put("SpaceReclaimed", 0);
    ex.json(200, o);
  }

  // ---- list and inspect

  /**
   * {@code docker ps}: the engine's list (the containers' records and states, nothing looked up
   * per container), filtered, written as JSON without a tree and sent whole: one hand-over to
   * the connection's thread, where chunks that each wait for the wire cost a thread switch each.
   */
  private void list(Exchange ex) {
    Filters filters = Filters.forContainers(ex.query("filters"));
    boolean all = ex.flag("all", false);
    int limit = ex.intQuery("limit", -1);
    List<ContainerInfo> listed = new ArrayList<>();
    for (ContainerInfo info : berth.containers(all || limit > 0 || filters.has("status"))) {
      if (!filters.matches(info)) {
        continue;
      }
      if (limit > 0 && listed.size() >= limit) {
        break;
      }
      listed.add(info);
    }
    ex.whole(200, "application/json", ContainerJson.summaries(listed, Instant.now()));
  }

  private void inspect(Exchange ex, Matcher m) {
    Container c = find(m.group(1));
    ex.json(200, ContainerJson.inspect(c.inspect(), ex.flag("size", false)));
  }
}
