package dev.berth.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.ContainerInfo;
import dev.berth.Digest;
import dev.berth.HostInfo;
import dev.berth.ImageInfo;
import dev.berth.NetworkInfo;
import dev.berth.Platform;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import dev.berth.VolumeInfo;
import dev.berth.internal.engine.PublicValues;
import dev.berth.internal.store.ImageRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The public values, made from what a Docker Engine API answers (its inspect and list JSON). */
final class RemoteValues {
  private RemoteValues() {}

  /** A container from {@code GET /containers/{id}/json}. */
  static ContainerInfo container(JsonNode j) {
    JsonNode config = j.path("Config");
    JsonNode state = j.path("State");
    List<String> command = new ArrayList<>();
    if (!j.path("Path").asText().isEmpty()) {
      command.add(j.path("Path").asText());
    }
    command.addAll(strings(j.path("Args")));
    List<ContainerInfo.Endpoint> networks = new ArrayList<>();
    j.path("NetworkSettings").path("Networks").fields().forEachRemaining(e -> {
      JsonNode n = e.getValue();
      networks.add(new ContainerInfo.Endpoint(e.getKey(), n.path("IPAddress").asText(""),
          n.path("IPPrefixLen").asInt(), n.path("Gateway").asText(""),
          n.path("MacAddress").asText(""), strings(n.path("Aliases"))));
    });
    return PublicValues.get().containerInfo(j.path("Id").asText(),
        j.path("Name").asText().replaceFirst("^/", ""), config.path("Image").asText(),
        j.path("Image").asText(), command, time(j.path("Created")), state(state),
        state.path("ExitCode").asInt(), time(state.path("StartedAt")),
        time(state.path("FinishedAt")), state.path("Pid").asLong(),
        state.path("OOMKilled").asBoolean(), ports(j.path("NetworkSettings").path("Ports")),
        stringMap(config.path("Labels")), HostInfo.UserNamespace.NONE, HostInfo.RootfsMode.OVERLAY,
        options(config, j.path("HostConfig")), strings(config.path("Env")),
        config.path("WorkingDir").asText(""), config.path("User").asText(""),
        config.path("Hostname").asText(""), networks);
  }

  private static ContainerInfo.State state(JsonNode state) {
    return switch (state.path("Status").asText().toLowerCase(Locale.ROOT)) {
      case "created", "configured", "initialized" -> ContainerInfo.State.CREATED;
      case "running", "restarting", "removing", "stopping" -> ContainerInfo.State.RUNNING;
      case "paused" -> ContainerInfo.State.PAUSED;
      default -> ContainerInfo.State.EXITED;
    };
  }

  /** What the container was created with, as far as the engine tells. */
  private static RunOptions options(JsonNode config, JsonNode hostConfig) {
    RunOptionsBuilder b = RunOptions.builder();
    if (config.path("Cmd").isArray() && config.path("Cmd").size() > 0) {
      b.command(strings(config.path("Cmd")));
    }
    b.tty(config.path("Tty").asBoolean());
    stringMap(config.path("Labels")).forEach(b::label);
    if (!config.path("User").asText("").isEmpty()) {
      b.user(config.path("User").asText());
    }
    return b.build();
  }

  static List<PortMapping> ports(JsonNode ports) {
    List<PortMapping> out = new ArrayList<>();
    ports.fields().forEachRemaining(e -> {
      String[] portProto = e.getKey().split("/");
      for (JsonNode binding : e.getValue()) { // null (not published) has no elements
        int hostPort = binding.path("HostPort").asInt();
        if (hostPort > 0) {
          String ip = binding.path("HostIp").asText("");
          out.add(new PortMapping(ip.isEmpty() ? "0.0.0.0" : ip, hostPort,
              Integer.parseInt(portProto[0]), portProto.length > 1 ? portProto[1] : "tcp"));
        }
      }
    });
    return out;
  }

  /** An image from {@code GET /images/{name}/json}. */
  static ImageRecord imageRecord(JsonNode j) {
    List<String> digests = strings(j.path("RepoDigests"));
    String manifest = digests.stream().filter(d -> d.contains("@")).findFirst()
        .map(d -> d.substring(d.indexOf('@') + 1)).orElse(j.path("Id").asText());
    List<String> layers = strings(j.path("RootFS").path("Layers"));
    return new ImageRecord(id(j.path("Id").asText()), manifest, null, strings(j.path("RepoTags")),
        digests, List.of(), layers, List.of(), j.path("Size").asLong(),
        j.path("Created").asText(null), j.path("Os").asText("linux") + "/"
            + j.path("Architecture").asText("amd64"), null);
  }

  /** An image from {@code GET /images/json} (a list entry). */
  static ImageRecord listedImage(JsonNode j) {
    long created = j.path("Created").asLong();
    return new ImageRecord(id(j.path("Id").asText()), id(j.path("Id").asText()), null,
        strings(j.path("RepoTags")).stream().filter(t -> !t.startsWith("<none>")).toList(),
        strings(j.path("RepoDigests")), List.of(), List.of(), List.of(), j.path("Size").asLong(),
        created == 0 ? null : Instant.ofEpochSecond(created).toString(), null, null);
  }

  private static String id(String id) {
    return id.startsWith("sha256:") ? id : "sha256:" + id;
  }

  static ImageInfo imageInfo(JsonNode j) {
    JsonNode c = j.path("Config");
    List<String> exposed = new ArrayList<>();
    c.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
    List<String> volumes = new ArrayList<>();
    c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
    return PublicValues.get().imageInfo(Digest.parse(id(j.path("Id").asText())),
        strings(j.path("RepoTags")), strings(j.path("RepoDigests")), time(j.path("Created")),
        j.path("Size").asLong(), Platform.parse(j.path("Os").asText("linux") + "/"
            + j.path("Architecture").asText("amd64")), strings(c.path("Entrypoint")),
        strings(c.path("Cmd")), strings(c.path("Env")), c.path("WorkingDir").asText(""),
        c.path("User").asText(""), exposed, volumes, stringMap(c.path("Labels")),
        c.path("StopSignal").asText(""),
        strings(j.path("RootFS").path("Layers")).stream().map(Digest::parse).toList());
  }

  static VolumeInfo volume(JsonNode j) {
    Instant created = time(j.path("CreatedAt"));
    return new VolumeInfo(j.path("Name").asText(), Path.of(j.path("Mountpoint").asText("/")),
        created == null ? Instant.EPOCH : created, stringMap(j.path("Labels")));
  }

  static NetworkInfo network(JsonNode j) {
    JsonNode ipam = j.path("IPAM").path("Config").path(0);
    List<String> containers = new ArrayList<>();
    j.path("Containers").fieldNames().forEachRemaining(containers::add);
    Instant created = time(j.path("Created"));
    return new NetworkInfo(j.path("Name").asText(), ipam.path("Subnet").asText(""),
        ipam.path("Gateway").asText(""),
        j.path("Options").path("com.docker.network.bridge.name").asText(""), containers,
        stringMap(j.path("Labels")), created == null ? Instant.EPOCH : created);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** An RFC 3339 time; null for Docker's zero time or none. */
  static Instant time(JsonNode n) {
    String s = n.asText("");
    if (s.isEmpty() || s.startsWith("0001-01-01")) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(s).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
