package dev.berth.internal.remote;

import static dev.berth.internal.remote.RemoteContainer.q;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.BerthException;
import dev.berth.ConflictException;
import dev.berth.NetworkInfo;
import dev.berth.NotFoundException;
import dev.berth.VolumeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The remote engine's networks and volumes, and its containers' connections to networks. */
final class RemoteNetworks {
  private final DockerHttp http;

  RemoteNetworks(DockerHttp http) {
    this.http = http;
  }

  NetworkInfo createNetwork(String name, Map<String, String> labels) {
    String id = http.json("POST", "/networks/create", Map.of("Name", name, "Labels", labels,
        "CheckDuplicate", true)).path("Id").asText();
    return RemoteValues.network(http.json("GET", "/networks/" + id, null));
  }

  List<NetworkInfo> networks() {
    List<NetworkInfo> out = new ArrayList<>();
    for (JsonNode j : http.json("GET", "/networks", null)) {
      String name = j.path("Name").asText();
      if (!Set.of("bridge", "host", "none", "podman").contains(name)) { // as the local list
        out.add(RemoteValues.network(http.json("GET", "/networks/" + j.path("Id").asText(),
            null)));
      }
    }
    return out;
  }

  void removeNetwork(String name, boolean force) {
    if (force) {
      JsonNode n = http.json("GET", "/networks/" + q(name), null);
      n.path("Containers").fieldNames().forEachRemaining(c -> http.json("POST", "/networks/"
          + q(name) + "/disconnect", Map.of("Container", c, "Force", true)));
    }
    http.json("DELETE", "/networks/" + q(name), null);
  }

  VolumeInfo createVolume(String name) {
    return RemoteValues.volume(http.json("POST", "/volumes/create", Map.of("Name", name)));
  }

  List<VolumeInfo> volumes() {
    List<VolumeInfo> out = new ArrayList<>();
    http.json("GET", "/volumes", null).path("Volumes").forEach(v -> out.add(
        RemoteValues.volume(v)));
    return out;
  }

  void removeVolume(String name, boolean force) {
    try {
      http.json("DELETE", "/volumes/" + q(name) + "?force=" + force, null);
    } catch (NotFoundException e) {
      throw initCause(new NotFoundException("No such volume: " + name), e);
    }
  }

  /** Connects container {@code id} ({@code name}) to {@code network}, as the local engine says. */
  void connect(String id, String name, String network, List<String> aliases) {
    try {
      http.json("POST", "/networks/" + q(network) + "/connect", Map.of("Container", id,
          "EndpointConfig", Map.of("Aliases", aliases)));
    } catch (BerthException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("already exists in network") || m.contains("already connected")) {
        throw initCause(new ConflictException("Container " + name
            + " is already connected to network " + network), e);
      }
      throw named(e, "connecting container " + name + " to network " + network, network);
    }
  }

  void disconnect(String id, String name, String network, boolean force) {
    try {
      http.json("POST", "/networks/" + q(network) + "/disconnect",
          Map.of("Container", id, "Force", force));
    } catch (BerthException e) {
      throw named(e, "disconnecting container " + name + " from network " + network, network);
    }
  }

  /** {@code e}, of the same kind, naming what was done; a missing network as "No such network". */
  private static BerthException named(BerthException e, String what, String network) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof NotFoundException) {
      return initCause(new NotFoundException(m.contains("network") ? "No such network: "
          + network + " (" + m + ")" : what + ": " + m), e);
    }
    if (e instanceof ConflictException) {
      return initCause(new ConflictException(what + ": " + m), e);
    }
    return e.getClass() == BerthException.class ? new BerthException(what + ": " + m, e) : e;
  }

  private static <T extends BerthException> T initCause(T e, Throwable cause) {
    e.initCause(cause);
    return e;
  }

  List<String> pruneVolumes() {
    return RemoteValues.strings(http.json("POST", "/volumes/prune", null)
        .path("VolumesDeleted"));
  }
}
