package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.ContainerInfo;
import dev.berth.Digest;
import dev.berth.ImageInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code docker inspect}'s JSON field names for Berth's containers and images. */
final class InspectJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private InspectJson() {}

  static ObjectNode container(ContainerInfo c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Id", c.id());
    n.put("Created", time(c.created()));
    n.put("Path", c.command().isEmpty() ? "" : c.command().get(0));
    strings(n.putArray("Args"), c.command().subList(Math.min(1, c.command().size()),
        c.command().size()));
    ObjectNode state = n.putObject("State");
    state.put("Status", c.state().name().toLowerCase(java.util.Locale.ROOT));
    state.put("Running", c.state() == ContainerInfo.State.RUNNING);
    state.put("Paused", c.state() == ContainerInfo.State.PAUSED);
    state.put("Restarting", false);
    state.put("OOMKilled", c.oomKilled());
    state.put("Dead", false); // Berth has no half-removed state: a remove is all or nothing
    state.put("Pid", c.pid());
    state.put("ExitCode", c.exitCode());
    state.put("StartedAt", time(c.startedAt()));
    state.put("FinishedAt", time(c.finishedAt()));
    n.put("Image", c.imageId());
    n.put("Name", "/" + c.name());
    ObjectNode config = n.putObject("Config");
    config.put("Image", c.image());
    labels(config.putObject("Labels"), c.labels());
    ObjectNode ports = n.putObject("NetworkSettings").putObject("Ports");
    c.ports().forEach(p -> ports.withArray(p.containerPort() + "/" + p.protocol()).addObject()
        .put("HostIp", p.hostIp()).put("HostPort", String.valueOf(p.hostPort())));
    return n;
  }

  static ObjectNode image(ImageInfo i) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Id", i.id().toString());
    strings(n.putArray("RepoTags"), i.repoTags());
    strings(n.putArray("RepoDigests"), i.repoDigests());
    n.put("Created", time(i.created()));
    n.put("Architecture", i.platform().architecture());
    if (i.platform().variant() != null && !i.platform().variant().isEmpty()) {
      n.put("Variant", i.platform().variant());
    }
    n.put("Os", i.platform().os());
    n.put("Size", i.size());
    ObjectNode config = n.putObject("Config");
    config.put("User", i.user());
    ObjectNode exposed = config.putObject("ExposedPorts");
    i.exposedPorts().forEach(p -> exposed.putObject(p));
    strings(config.putArray("Env"), i.env());
    strings(config.putArray("Cmd"), i.cmd());
    ObjectNode volumes = config.putObject("Volumes");
    i.volumes().forEach(v -> volumes.putObject(v));
    config.put("WorkingDir", i.workingDir());
    strings(config.putArray("Entrypoint"), i.entrypoint());
    labels(config.putObject("Labels"), i.labels());
    if (!i.stopSignal().isEmpty()) {
      config.put("StopSignal", i.stopSignal());
    }
    ObjectNode rootfs = n.putObject("RootFS");
    rootfs.put("Type", "layers");
    strings(rootfs.putArray("Layers"), i.layers().stream().map(Digest::toString).toList());
    return n;
  }

  static ObjectNode network(dev.berth.NetworkInfo net) {
    ObjectNode n = JSON.createObjectNode();
    n.put("Name", net.name());
    n.put("Created", time(net.created()));
    n.put("Driver", "bridge");
    n.putObject("IPAM").putArray("Config").addObject().put("Subnet", net.subnet())
        .put("Gateway", net.gateway());
    n.putObject("Options").put("com.docker.network.bridge.name", net.bridge());
    ObjectNode containers = n.putObject("Containers");
    net.containers().forEach(id -> containers.putObject(id));
    ObjectNode labels = n.putObject("Labels");
    net.labels().forEach(labels::put);
    return n;
  }

  /** As {@code docker volume inspect}: driver local, no options. */
  static ObjectNode volume(dev.berth.VolumeInfo v) {
    ObjectNode n = JSON.createObjectNode();
    n.put("CreatedAt", time(v.created()));
    n.put("Driver", "local");
    labels(n.putObject("Labels"), v.labels());
    n.put("Mountpoint", v.mountpoint().toString());
    n.put("Name", v.name());
    n.putNull("Options");
    n.put("Scope", "local");
    return n;
  }

  private static String time(Instant t) {
    return t == null ? ZERO_TIME : t.toString();
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static void labels(ObjectNode n, Map<String, String> labels) {
    new java.util.TreeMap<>(labels).forEach(n::put);
  }
}
