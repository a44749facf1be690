package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.ContainerInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code filters} query parameter: JSON of {@code {"label": ["a=b"]}} (docker-java) or
 * {@code {"label": {"a=b": true}}} (the CLI). Values of one key are alternatives; keys all apply.
 */
final class Filters {
  private static final List<String> CONTAINER_KEYS = List.of("label", "status", "name", "id",
      "ancestor", "network", "exited", "before", "since", "volume", "health", "is-task",
      "publish", "expose");

  private final Map<String, List<String>> values;

  private Filters(Map<String, List<String>> values) {
    this.values = values;
  }

  static Filters parse(String json) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return new Filters(out);
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw ApiException.badRequest("invalid filter: " + json + " is not JSON");
    }
    if (!node.isObject()) {
      throw ApiException.badRequest("invalid filter: expected an object, got " + json);
    }
    node.fields().forEachRemaining(e -> {
      List<String> v = new ArrayList<>();
      if (e.getValue().isArray()) {
        e.getValue().forEach(x -> v.add(x.asText()));
      } else if (e.getValue().isObject()) {
        e.getValue().fieldNames().forEachRemaining(v::add);
      } else {
        v.add(e.getValue().asText());
      }
      out.put(e.getKey(), v);
    });
    return new Filters(out);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  List<String> get(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** @return true when {@code label} filters (k or k=v) all match */
  boolean labelsMatch(Map<String, String> labels) {
    for (String l : get("label")) {
      int eq = l.indexOf('=');
      boolean ok = eq < 0 ? labels.containsKey(l)
          : l.substring(eq + 1).equals(labels.get(l.substring(0, eq)));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** @throws ApiException 400 naming a key that is not one of {@code known} */
  Filters onlyKeys(List<String> known) {
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw ApiException.badRequest("invalid filter '" + key + "'");
      }
    }
    return this;
  }

  /** @return the filters of a container list, checked */
  static Filters forContainers(String json) {
    return parse(json).onlyKeys(CONTAINER_KEYS);
  }

  boolean matches(ContainerInfo c) {
    if (!labelsMatch(c.labels())) {
      return false;
    }
    if (has("status") && !get("status").contains(ContainerJson.state(c))) {
      return false;
    }
    if (has("name") && get("name").stream().noneMatch(n -> java.util.regex.Pattern
        .compile(n.startsWith("/") ? n.substring(1) : n).matcher(c.name()).find())) {
      return false;
    }
    if (has("id") && get("id").stream().noneMatch(c.id()::startsWith)) {
      return false;
    }
    if (has("ancestor") && get("ancestor").stream().noneMatch(a -> a.equals(c.image())
        || c.imageId().startsWith(a) || c.imageId().startsWith("sha256:" + a)
        || (a + ":latest").equals(c.image()) || a.equals(c.image() + ":latest"))) {
      return false;
    }
    if (has("network") && get("network").stream().noneMatch(n -> n.equals(
        Networks.toDocker(c.options().network().mode())))) {
      return false;
    }
    if (has("exited") && (c.state() != ContainerInfo.State.EXITED
        || !get("exited").contains(String.valueOf(c.exitCode())))) {
      return false;
    }
    return true;
  }
}
