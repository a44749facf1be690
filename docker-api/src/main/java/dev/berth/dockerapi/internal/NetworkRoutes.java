package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.ContainerInfo;
import dev.berth.NetworkInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;

/**
 * Networks: Berth's user-defined networks, plus the three every Docker client expects —
 * {@code bridge} (Berth's private network of each container), {@code host} and {@code none}.
 * A container joins its network when it is created; connecting it later is not supported.
 */
final class NetworkRoutes {
  private static final List<String> BUILT_IN = List.of(Networks.BRIDGE, "host", "none");

  private final Berth berth;
  private final Events events;
  /** Labels given at create (Berth's network records have none), by network name. */
  private final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();
  private final Map<String, Instant> created = new ConcurrentHashMap<>();

  NetworkRoutes(Berth berth, Events events) {
    this.berth = berth;
    this.events = events;
  }

  void register(Router r) {
    r.on("GET", "/networks", (ex, m) -> list(ex));
    r.on("GET", "/networks/json", (ex, m) -> list(ex));
    r.on("POST", "/networks/create", (ex, m) -> create(ex));
    r.on("POST", "/networks/prune", (ex, m) -> prune(ex));
    r.on("GET", "/networks/([^/]+)", this::inspect);
    r.on("DELETE", "/networks/([^/]+)", this::remove);
    r.on("POST", "/networks/([^/]+)/connect", (ex, m) -> {
      throw new ApiException(501, "connecting a container to a network after it was created"
          + " (docker network connect) is not supported by Berth's Docker API: give the network"
          + " when creating it (docker run --network NAME)");
    });
    r.on("POST", "/networks/([^/]+)/disconnect", (ex, m) -> {
      throw ApiException.notImplemented("disconnecting a container from its network (docker"
          + " network disconnect)");
    });
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
      Map<String, String> l = labels.getOrDefault(n.name(), Map.of());
      if (matches(filters, n.name(), Networks.id(n.name()), l)) {
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
    ObjectNode o = base(n.name(), Networks.id(n.name()), "bridge",
        created.getOrDefault(n.name(), Instant.EPOCH));
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
    o.set("Labels", Json.object(labels.getOrDefault(n.name(), Map.of())));
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
      berth.createNetwork(name);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    labels.put(name, Json.stringMap(body, "Labels"));
    created.put(name, Instant.now());
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
      // A --rm container's monitor removes it without detaching it: only live ones count.
      berth.removeNetwork(n.name(), liveContainers(n).isEmpty());
    } catch (BerthException e) {
      throw new ApiException(403, "error while removing network: " + e.getMessage());
    }
    labels.remove(n.name());
    events.network("destroy", Networks.id(n.name()), n.name());
    ex.noContent();
  }

  /** The network's containers that still exist (a --rm one leaves its endpoint behind). */
  private List<String> liveContainers(NetworkInfo n) {
    return n.containers().stream().filter(id -> {
      try {
        berth.container(id);
        return true;
      } catch (BerthException gone) {
        return false;
      }
    }).toList();
  }

  private void prune(Exchange ex) {
    Filters filters = Filters.parse(ex.query("filters"));
    ArrayNode deleted = Json.array();
    for (NetworkInfo n : berth.networks()) {
      if (liveContainers(n).isEmpty()
          && filters.labelsMatch(labels.getOrDefault(n.name(), Map.of()))) {
        try {
          berth.removeNetwork(n.name(), true);
          labels.remove(n.name());
          deleted.add(n.name());
        } catch (BerthException inUse) {
          // a container joined meanwhile: it stays
        }
      }
    }
    ex.json(200, Json.object().set("NetworksDeleted", deleted));
  }
}
