package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.Capability;
import dev.berth.ContainerInfo;
import dev.berth.Mount;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.SeccompProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Containers in Docker's documents: the {@code ps} summary and the {@code inspect} document. */
final class ContainerJson {
  /** About the bytes of one container's summary (440 for a created busybox without labels). */
  private static final int SUMMARY_SIZE = 512;

  private ContainerJson() {}

  static String state(ContainerInfo c) {
    return c.state().name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The {@code GET /containers/json} document, Docker's {@code ps} summary of each container,
   * written straight to bytes: no tree of a thousand containers is built first. Every
   * container's Status is worded at the same {@code now}.
   */
  static byte[] summaries(List<ContainerInfo> containers, Instant now) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(SUMMARY_SIZE * (containers.size() + 1));
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartArray();
      for (ContainerInfo c : containers) {
        writeSummary(g, c, now);
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the container list: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static void writeSummary(JsonGenerator g, ContainerInfo c, Instant now)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("Id", c.id());
    g.writeArrayFieldStart("Names");
    g.writeString("/" + c.name());
    g.writeEndArray();
    g.writeStringField("Image", c.image());
    g.writeStringField("ImageID", c.imageId());
    g.writeStringField("Command", String.join(" ", c.command()));
    g.writeNumberField("Created", c.created().getEpochSecond());
    g.writeArrayFieldStart("Ports");
    for (PortMapping p : c.ports()) {
      g.writeStartObject();
      g.writeStringField("IP", p.hostIp());
      g.writeNumberField("PrivatePort", p.containerPort());
      g.writeNumberField("PublicPort", p.hostPort());
      g.writeStringField("Type", p.protocol());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("Labels");
    for (Map.Entry<String, String> l : c.labels().entrySet()) {
      g.writeStringField(l.getKey(), l.getValue());
    }
    g.writeEndObject();
    g.writeStringField("State", state(c));
    g.writeStringField("Status", c.status(now));
    g.writeObjectFieldStart("HostConfig");
    g.writeStringField("NetworkMode", Networks.toDocker(c.options().network().mode()));
    g.writeEndObject();
    g.writeObjectFieldStart("NetworkSettings");
    g.writeFieldName("Networks");
    g.writeTree(networks(c));
    g.writeEndObject();
    g.writeFieldName("Mounts");
    g.writeTree(mounts(c.options().mounts()));
    g.writeEndObject();
  }

  static ObjectNode inspect(ContainerInfo c, boolean size) {
    RunOptions opts = c.options();
    ObjectNode o = Json.object();
    o.put("Id", c.id());
    o.put("Created", Json.time(c.created()));
    o.put("Path", c.command().isEmpty() ? "" : c.command().get(0));
    o.set("Args", Json.array(c.command().isEmpty() ? List.of()
        : c.command().subList(1, c.command().size())));
    ObjectNode state = Json.object();
    state.put("Status", state(c));
    state.put("Running", c.isRunning());
    state.put("Paused", c.state() == ContainerInfo.State.PAUSED);
    state.put("Restarting", false);
    state.put("OOMKilled", c.oomKilled());
    state.put("Dead", false);
    state.put("Pid", c.pid());
    state.put("ExitCode", c.exitCode());
    state.put("Error", "");
    state.put("StartedAt", Json.time(c.startedAt()));
    state.put("FinishedAt", Json.time(c.finishedAt()));
    o.set("State", state);
    o.put("Image", c.imageId());
    o.put("ResolvConfPath", "");
    o.put("HostnamePath", "");
    o.put("HostsPath", "");
    o.put("LogPath", "");
    o.put("Name", "/" + c.name());
    o.put("RestartCount", 0);
    o.put("Driver", "overlay");
    o.put("Platform", "linux");
    o.put("MountLabel", "");
    o.put("ProcessLabel", "");
    o.put("AppArmorProfile", "");
    o.set("HostConfig", hostConfig(c, opts));
    o.set("GraphDriver", Json.object().put("Name", "overlay").set("Data", Json.object()));
    o.set("Mounts", mounts(opts.mounts()));
    o.set("Config", config(c, opts));
    o.set("NetworkSettings", networkSettings(c));
    if (size) {
      o.put("SizeRw", 0);
      o.put("SizeRootFs", 0);
    }
    return o;
  }

  private static ObjectNode hostConfig(ContainerInfo c, RunOptions opts) {
    ObjectNode h = Json.object();
    h.put("NetworkMode", Networks.toDocker(opts.network().mode()));
    ObjectNode bindings = Json.object();
    for (PortMapping p : opts.network().ports()) {
      String key = p.containerPort() + "/" + p.protocol();
      ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : Json.array();
      list.add(Json.object().put("HostIp", p.hostIp().equals("0.0.0.0") ? "" : p.hostIp())
          .put("HostPort", p.hostPort() == 0 ? "" : String.valueOf(p.hostPort())));
      bindings.set(key, list);
    }
    h.set("PortBindings", bindings);
    h.put("PublishAllPorts", opts.network().publishAll());
    h.set("RestartPolicy", Json.object().put("Name", "no").put("MaximumRetryCount", 0));
    h.put("AutoRemove", opts.autoRemove());
    ArrayNode binds = Json.array();
    for (Mount m : opts.mounts()) {
      if (m.type() != Mount.Type.TMPFS && m.source() != null) {
        binds.add(m.source() + ":" + m.target() + (m.readOnly() ? ":ro" : ""));
      }
    }
    h.set("Binds", binds.isEmpty() ? null : binds);
    RunOptions.Security sec = opts.security();
    h.set("CapAdd", Json.arrayOrNull(capNames(sec.capAdd(), sec.capAddAll())));
    h.set("CapDrop", Json.arrayOrNull(capNames(sec.capDrop(), sec.capDropAll())));
    h.put("Privileged", opts.security().privileged());
    h.put("ReadonlyRootfs", opts.security().readOnlyRootfs());
    ArrayNode security = Json.array();
    if (opts.security().noNewPrivileges()) {
      security.add("no-new-privileges");
    }
    security.add("seccomp=" + (sec.seccomp() instanceof SeccompProfile.Json j ? j.json()
        : sec.seccomp().toString()));
    h.set("SecurityOpt", security.isEmpty() ? null : security);
    RunOptions.Limits l = opts.limits();
    h.put("Memory", l.memoryBytes());
    h.put("MemorySwap", l.memorySwapBytes());
    h.put("NanoCpus", (long) (l.cpus() * 1e9));
    h.put("CpuShares", l.cpuShares());
    h.put("PidsLimit", l.pidsLimit());
    h.set("LogConfig", Json.object().put("Type", "json-file").set("Config", Json.object()));
    return h;
  }

  private static ObjectNode config(ContainerInfo c, RunOptions opts) {
    ObjectNode cfg = Json.object();
    cfg.put("Hostname", c.hostname());
    cfg.put("Domainname", "");
    cfg.put("User", c.user());
    cfg.put("AttachStdin", false);
    cfg.put("AttachStdout", !opts.detach());
    cfg.put("AttachStderr", !opts.detach());
    cfg.put("Tty", opts.process().tty());
    cfg.put("OpenStdin", opts.process().stdinOpen());
    cfg.put("StdinOnce", opts.process().stdinOpen() && !opts.detach());
    cfg.set("Env", Json.array(c.env()));
    List<String> cmd = opts.process().command(); // null: the image's (a create without Cmd)
    cfg.set("Cmd", Json.arrayOrNull(cmd == null || cmd.isEmpty() ? c.command() : cmd));
    cfg.set("Entrypoint", Json.arrayOrNull(opts.process().entrypoint()));
    cfg.put("Image", c.image());
    cfg.put("WorkingDir", c.workingDir());
    cfg.set("Labels", Json.object(c.labels()));
    ObjectNode exposed = Json.object();
    opts.network().ports().forEach(p -> exposed.set(p.containerPort() + "/" + p.protocol(), Json.object()));
    cfg.set("ExposedPorts", exposed.isEmpty() ? null : exposed);
    return cfg;
  }

  private static ObjectNode networkSettings(ContainerInfo c) {
    ObjectNode n = Json.object();
    n.put("Bridge", "");
    n.put("SandboxID", "");
    n.put("SandboxKey", "");
    ObjectNode ports = Json.object();
    for (PortMapping p : c.ports()) {
      String key = p.containerPort() + "/" + p.protocol();
      ArrayNode list = ports.has(key) && ports.get(key).isArray() ? (ArrayNode) ports.get(key)
          : Json.array();
      list.add(Json.object().put("HostIp", p.hostIp()).put("HostPort",
          String.valueOf(p.hostPort())));
      ports.set(key, list);
    }
    n.set("Ports", ports);
    ObjectNode networks = networks(c);
    n.set("Networks", networks);
    // The deprecated top-level fields of the default network, which older clients still read.
    var first = c.networks().isEmpty() ? null : c.networks().get(0);
    n.put("IPAddress", first == null ? "" : first.ipAddress());
    n.put("Gateway", first == null ? "" : first.gateway());
    n.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
    n.put("MacAddress", first == null ? "" : first.macAddress());
    return n;
  }

  private static ObjectNode networks(ContainerInfo c) {
    ObjectNode networks = Json.object();
    for (ContainerInfo.Endpoint e : c.networks()) {
      ObjectNode ep = Json.object();
      ep.set("Aliases", Json.arrayOrNull(e.aliases()));
      ep.put("NetworkID", Networks.id(e.network()));
      ep.put("EndpointID", Networks.id(c.id() + "/" + e.network()));
      ep.put("Gateway", e.gateway());
      ep.put("IPAddress", e.ipAddress());
      ep.put("IPPrefixLen", e.prefixLength());
      ep.put("MacAddress", e.macAddress());
      ep.set("DNSNames", Json.arrayOrNull(e.aliases()));
      networks.set(Networks.toDocker(e.network()), ep);
    }
    if (networks.isEmpty()) {
      networks.set(Networks.toDocker(c.options().network().mode()), Json.object()
          .put("NetworkID", "").put("IPAddress", "").put("Gateway", ""));
    }
    return networks;
  }

  private static ArrayNode mounts(List<Mount> mounts) {
    ArrayNode out = Json.array();
    for (Mount m : mounts) {
      ObjectNode o = Json.object();
      o.put("Type", m.type().name().toLowerCase(java.util.Locale.ROOT));
      if (m.type() == Mount.Type.VOLUME) {
        o.put("Name", m.source() == null ? "" : m.source());
      }
      o.put("Source", m.source() == null ? "" : m.source());
      o.put("Destination", m.target());
      o.put("Mode", m.readOnly() ? "ro" : "");
      o.put("RW", !m.readOnly());
      o.put("Propagation", "");
      out.add(o);
    }
    return out;
  }

  /** As Docker shows them: ALL, then CAP_-prefixed names. */
  private static List<String> capNames(Set<Capability> caps, boolean all) {
    List<String> names = new ArrayList<>();
    if (all) {
      names.add("ALL");
    }
    caps.forEach(c -> names.add(c.capName()));
    return names;
  }
}
