package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.VolumeInfo;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/** Volumes: create, list, inspect, remove, prune (Berth's named volumes, driver {@code local}). */
final class VolumeRoutes {
  private final Berth berth;
  private final Events events;

  VolumeRoutes(Berth berth, Events events) {
    this.berth = berth;
    this.events = events;
  }

  void register(Router r) {
    r.on("GET", "/volumes", (ex, m) -> list(ex));
    r.on("POST", "/volumes/create", (ex, m) -> create(ex));
    r.on("POST", "/volumes/prune", (ex, m) -> prune(ex));
    r.on("GET", "/volumes/([^/]+)", this::inspect);
    r.on("DELETE", "/volumes/([^/]+)", this::remove);
  }

  static ObjectNode json(VolumeInfo v) {
    ObjectNode o = Json.object();
    o.put("Name", v.name());
    o.put("Driver", "local");
    o.put("Mountpoint", v.mountpoint().toString());
    o.put("CreatedAt", Json.time(v.created()));
    o.set("Labels", Json.object(v.labels()));
    o.put("Scope", "local");
    o.set("Options", Json.object());
    return o;
  }

  private VolumeInfo find(String name) {
    return berth.volumes().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> ApiException.notFound("get " + name + ": no such volume"));
  }

  private void list(Exchange ex) {
    Filters filters = Filters.parse(ex.query("filters"));
    ArrayNode out = Json.array();
    for (VolumeInfo v : berth.volumes()) {
      if (filters.labelsMatch(v.labels())
          && (!filters.has("name") || filters.get("name").stream().anyMatch(v.name()::contains))) {
        out.add(json(v));
      }
    }
    ex.json(200, Json.object().<ObjectNode>set("Volumes", out).set("Warnings", Json.array()));
  }

  private void create(Exchange ex) {
    JsonNode body = ex.jsonBody();
    String driver = Json.text(body, "Driver");
    if (driver != null && !driver.isEmpty() && !driver.equals("local")) {
      throw ApiException.badRequest("volume driver " + driver + " is not supported by Berth"
          + " (local is)");
    }
    String name = Json.text(body, "Name");
    if (name == null || name.isEmpty()) {
      name = Networks.randomId();
    }
    if (!Json.stringMap(body, "Labels").isEmpty()) {
      throw ApiException.badRequest("volume labels are not supported by Berth yet");
    }
    VolumeInfo v;
    try {
      v = berth.volumes().stream().anyMatch(x -> x.name().equals(Json.text(body, "Name")))
          ? find(Json.text(body, "Name")) : berth.createVolume(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    events.volume("create", v.name());
    ex.json(201, json(v));
  }

  private void inspect(Exchange ex, Matcher m) {
    ex.json(200, json(find(m.group(1))));
  }

  private void remove(Exchange ex, Matcher m) {
    VolumeInfo v = find(m.group(1));
    try {
      berth.removeVolume(v.name(), ex.flag("force", false));
    } catch (BerthException e) {
      throw ApiException.conflict("remove " + v.name() + ": volume is in use - " + e.getMessage());
    }
    events.volume("destroy", v.name());
    ex.noContent();
  }

  private void prune(Exchange ex) {
    // Berth's volumes carry no labels: a label filter (a reaper's) matches none of them
    List<String> deleted = Filters.parse(ex.query("filters")).labelsMatch(Map.of())
        ? berth.pruneVolumes() : List.of();
    deleted.forEach(n -> events.volume("destroy", n));
    ex.json(200, Json.object().<ObjectNode>set("VolumesDeleted", Json.array(deleted))
        .put("SpaceReclaimed", 0));
  }
}
