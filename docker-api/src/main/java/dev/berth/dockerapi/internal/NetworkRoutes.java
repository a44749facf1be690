package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.Container;
import dev.berth.ContainerInfo;
import dev.berth.NetworkInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Networks: Berth's user-defined networks, plus the three every Docker client expects —
 * {@code bridge} (Berth's private network of each container), {@code host} and {@code none}.
 * Labels and creation times are Berth's network records' own, so they outlive this server.
 * Containers connect and disconnect at any time ({@code docker network connect}), running or not;
 * only the user-defined networks take them.
 */
final class NetworkRoutes {
  private static final List<String> BUILT_IN = List.of(Networks.BRIDGE, "host", "none");

  private final Berth berth;
  private final Events events;
  private final ContainerRoutes containers;

  NetworkRoutes(Berth berth, Events events, ContainerRoutes containers) {
    this.berth = berth;
    this.events = events;
    this.containers = containers;
  }

  void register(Router r) {
    r.on("GET", "/networks", (ex, m) -> list(ex));
    r.on("GET", "/networks/json", (ex, m) -> list(ex));
    r.on("POST", "/networks/create", (ex, m) -> create(ex));
    r.on("POST", "/networks/prune", (ex, m) -> prune(ex));
    r.on("GET", "/networks/([^/]+)", this::inspect);
    r.on("DELETE", "/networks/([^/]+)", this::remove);
    r.on("POST", "/networks/([^/]+)/connect", this::connect);
    r.on("POST", "/networks/([^/]+)/disconnect", this::disconnect);
  }

  private void list(Exchange ex) {
    Filters filters = Filters.parse(ex.query("filters"));
    ArrayNode out = Json.array();
    for (String name : BUILT_IN) {
      ObjectNode n = builtIn(name);
      if (matches(filters, name, n.get("Id").asText(), Map.of())) {
        out.add(n);
      }
    }
    for (NetworkInfo n : berth.networks()) {
      if (matches(filters, n.name(), Networks.id(n.name()), n.labels())) {
        out.add(json(n));
      }
    }
    ex.json(200, out);
  }

  private static boolean matches(Filters f, String name, String id, Map<String, String> labels) {
    return (!f.has("name") || f.get("name").stream().anyMatch(name::contains))
        && (!f.has("id") || f.get("id").stream().anyMatch(id::startsWith))
        && f.labelsMatch(labels)
        && (!f.has("driver") || f.get("driver").contains(BUILT_IN.contains(name) && !name.equals(Networks.BRIDGE) ? name : "bridge"))
        && (!f.has("type") || f.get("type").contains(BUILT_IN.contains(name) ? "builtin" : "custom"));
  }

  private ObjectNode builtIn(String name) {
    ObjectNode o = base(name, Networks.id(name.equals(Networks.BRIDGE) ? "private" : name),
        name.equals(Networks.BRIDGE) ? "bridge" : name, Instant.EPOCH);
    o.set("IPAM", Json.object().put("Driver", "default").set("Config", Json.array()));
    o.set("Containers", Json.object());
    o.set("Labels", Json.object());
    return o;
  }

  private static ObjectNode base(String name, String id, String driver, Instant createdAt) {
    ObjectNode o = Json.object();
    o.put("Name", name);
    o.put("Id", id);
    o.put("Created", Json.time(createdAt));
    o.put("Scope", "local");
    o.put("Driver", driver);
    o.put("EnableIPv4", true);
    o.put("EnableIPv6", false);
    o.put("Internal", false);
    o.put("Attachable", false);
    o.put("Ingress", false);
    o.set("ConfigFrom", Json.object().put("Network", ""));
    o.put("ConfigOnly", false);
    o.set("Options", Json.object());
    return o;
  }

  private ObjectNode json(NetworkInfo n) {
    ObjectNode o = base(n.name(), Networks.id(n.name()), "bridge", n.created());
    o.set("IPAM", Json.object().put("Driver", "default").set("Config", Json.array()
        .add(Json.object().put("Subnet", n.subnet()).put("Gateway", n.gateway()))));
    ObjectNode containers = Json.object();
    for (String id : n.containers()) {
      ObjectNode c = Json.object();
      try {
        ContainerInfo info = berth.container(id).inspect();
        c.put("Name", info.name());
        info.networks().stream().filter(e -> e.network().equals(n.name())).findFirst()
            .ifPresent(e -> c.put("IPv4Address", e.ipAddress() + "/" + e.prefixLength())
                .put("MacAddress", e.macAddress()));
      } catch (BerthException gone) {
        continue;
      }
      c.put("EndpointID", Networks.id(id + "/" + n.name()));
      c.put("IPv6Address", "");
      containers.set(id, c);
    }
    o.set("Containers", containers);
    o.set("Labels", Json.object(n.labels()));
    ((ObjectNode) o.get("Options")).put("com.docker.network.bridge.name", n.bridge());
    return o;
  }

  private NetworkInfo find(String idOrName) {
    for (NetworkInfo n : berth.networks()) {
      if (n.name().equals(idOrName) || (idOrName.length() >= 3
          && Networks.id(n.name()).startsWith(idOrName))) {
        return n;
      }
    }
    return null;
  }

  private void inspect(Exchange ex, Matcher m) {
    String key = m.group(1);
    for (String b : BUILT_IN) {
      String id = Networks.id(b.equals(Networks.BRIDGE) ? "private" : b);
      if (b.equals(key) || (key.length() >= 3 && id.startsWith(key))) {
        ex.json(200, builtIn(b));
        return;
      }
    }
    NetworkInfo n = find(key);
    if (n == null) {
      throw ApiException.notFound("network " + key + " not found");
    }
    ex.json(200, json(n));
  }

  private void create(Exchange ex) {
    JsonNode body = ex.jsonBody();
    String name = Json.text(body, "Name");
    if (name == null || name.isEmpty()) {
      throw ApiException.badRequest("network name is required");
    }
    String driver = Json.text(body, "Driver");
    if (driver != null && !driver.isEmpty() && !driver.equals("bridge")) {
      throw ApiException.badRequest("network driver " + driver + " is not supported by Berth"
          + " (bridge is)");
    }
    if (BUILT_IN.contains(name) || find(name) != null) {
      throw ApiException.conflict("network with name " + name + " already exists");
    }
    if (Json.bool(body, "Internal")) {
      throw ApiException.badRequest("internal networks are not supported by Berth");
    }
    try {
      Map<String, String> labels = Json.stringMap(body, "Labels");
      berth.createNetwork(name, containers.removeWithJvm() ? NetworkOwners.owned(labels) : labels);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String id = Networks.id(name);
    events.network("create", id, name);
    ex.json(201, Json.object().put("Id", id).put("Warning", ""));
  }

  private void remove(Exchange ex, Matcher m) {
    String key = m.group(1);
    if (BUILT_IN.contains(key)) {
      throw new ApiException(403, key + " is a pre-defined network and cannot be removed");
    }
    NetworkInfo n = find(key);
    if (n == null) {
      throw ApiException.notFound("network " + key + " not found");
    }
    try {
      berth.removeNetwork(n.name(), false);
    } catch (BerthException e) {
      throw new ApiException(403, "error while removing network: " + e.getMessage());
    }
    events.network("destroy", Networks.id(n.name()), n.name());
    ex.noContent();
  }

  private void prune(Exchange ex) {
    Filters filters = Filters.parse(ex.query("filters"));
    ArrayNode deleted = Json.array();
    for (NetworkInfo n : berth.networks()) {
      if (n.containers().isEmpty() && filters.labelsMatch(n.labels())) {
        try {
          berth.removeNetwork(n.name(), false);
          events.network("destroy", Networks.id(n.name()), n.name());
          deleted.add(n.name());
        } catch (BerthException inUse) {
          // a container joined meanwhile: it stays
        }
      }
    }
    ex.json(200, Json.object().set("NetworksDeleted", deleted));
  }

  /**
   * {@code docker network connect}: Docker's statuses, 404 for an unknown network or container,
   * 403 when it is connected already (Docker's "endpoint with name … already exists"), 400 when
   * its network mode (host, none, container:) takes no other network.
   */
  private void connect(Exchange ex, Matcher m) {
    JsonNode body = ex.jsonBody();
    NetworkInfo n = userDefined(m.group(1), "connect");
    Container c = containers.find(requireContainer(body));
    List<String> aliases = Json.strings(body.path("EndpointConfig"), "Aliases");
    try {
      c.connect(n.name(), aliases);
    } catch (BerthException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("is already connected to network")) {
        throw new ApiException(403, "endpoint with name " + c.name() + " already exists in network " + n.name());
      }
      if (msg.contains("its network mode is")) {
        throw ApiException.badRequest(msg);
      }
      throw e;
    }
    events.network("connect", Networks.id(n.name()), n.name(), Map.of("container", c.id()));
    ex.json(200, Json.object());
  }

  /** {@code docker network disconnect}: 404 for an unknown network or container, 403 when it is not on it. */
  private void disconnect(Exchange ex, Matcher m) {
    JsonNode body = ex.jsonBody();
    NetworkInfo n = userDefined(m.group(1), "disconnect");
    Container c = containers.find(requireContainer(body));
    try {
      c.disconnect(n.name(), Json.bool(body, "Force"));
    } catch (BerthException e) {
      if (String.valueOf(e.getMessage()).contains("is not connected to network")) {
        throw new ApiException(403, "container " + c.id() + " is not connected to network " + n.name());
      }
      throw e;
    }
    events.network("disconnect", Networks.id(n.name()), n.name(), Map.of("container", c.id()));
    ex.json(200, Json.object());
  }

  private static String requireContainer(JsonNode body) {
    String container = Json.text(body, "Container");
    if (container == null || container.isEmpty()) {
      throw ApiException.badRequest("container is required: {\"Container\": \"ID or name\"}");
    }
    return container;
  }

  /** The user-defined network a connect or disconnect names; the built-in ones take no containers later. */
  private NetworkInfo userDefined(String key, String verb) {
    for (String b : BUILT_IN) {
      String id = Networks.id(b.equals(Networks.BRIDGE) ? "private" : b);
      if (b.equals(key) || (key.length() >= 3 && id.startsWith(key))) {
        if (!b.equals(Networks.BRIDGE)) {
          throw ApiException.badRequest("container cannot be disconnected from host network or connected to "
              + b + " network");
        }
        throw new ApiException(403, "Berth cannot " + verb + " a container and the default bridge network"
            + " (its per-container private network) after creation: use a user-defined network"
            + " (docker network create NAME)");
      }
    }
    NetworkInfo n = find(key);
    if (n == null) {
      throw ApiException.notFound("network " + key + " not found");
    }
    return n;
  }
}
