package dev.berth.dockerapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import dev.berth.RunOptionsBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Docker's container-create document (Config + HostConfig + NetworkingConfig) parsed once into
 * Berth's {@link RunOptions}: every field Berth can honour is mapped, a field set to something
 * Berth cannot do is refused by name (400), fields at their zero value are ignored as Docker does.
 */
public final class CreateRequest {
  private CreateRequest() {}

  /** The image and the options a create request asks for. */
  public record Parsed(String image, RunOptions options, boolean attach) {}

  public static Parsed parse(JsonNode body, String name) {
    return parse(body, name, null);
  }

  /**
   * @param imageExposed the image's EXPOSE ports ({@code 80/tcp}), which {@code -P} publishes
   *     on every interface, as Docker does; null leaves them to Berth's publishAll
   */
  public static Parsed parse(JsonNode body, String name, List<String> imageExposed) {
    String image = Json.text(body, "Image");
    if (image == null || image.isBlank()) {
      throw ApiException.badRequest("config: Image is required");
    }
    JsonNode host = body.path("HostConfig");
    RunOptionsBuilder b = RunOptions.builder();
    if (name != null && !name.isEmpty()) {
      b.name(name.startsWith("/") ? name.substring(1) : name);
    }
    List<String> cmd = Json.strings(body, "Cmd");
    if (!cmd.isEmpty()) {
      b.command(cmd);
    }
    if (body.has("Entrypoint") && !body.get("Entrypoint").isNull()) {
      b.entrypoint(Json.strings(body, "Entrypoint").toArray(String[]::new));
    }
    for (String kv : Json.strings(body, "Env")) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        continue; // "NAME" alone means: unset, or take from the client's env (the CLI resolves it)
      }
      b.env(kv.substring(0, eq), kv.substring(eq + 1));
    }
    String workdir = Json.text(body, "WorkingDir");
    if (workdir != null && !workdir.isEmpty()) {
      b.workingDir(workdir);
    }
    String user = Json.text(body, "User");
    if (user != null && !user.isEmpty()) {
      b.user(user);
    }
    String hostname = Json.text(body, "Hostname");
    if (hostname != null && !hostname.isEmpty()) {
      b.hostname(hostname);
    }
    Json.stringMap(body, "Labels").forEach(b::label);
    boolean tty = Json.bool(body, "Tty");
    b.tty(tty);
    b.stdinOpen(Json.bool(body, "OpenStdin"));
    boolean attach = Json.bool(body, "AttachStdin") || Json.bool(body, "AttachStdout")
        || Json.bool(body, "AttachStderr");
    // Detached unless a client will attach: the server relays the streams of attached ones.
    b.detach(!attach);
    b.autoRemove(Json.bool(host, "AutoRemove"));
    ports(body, host, b, imageExposed);
    network(body, host, b);
    mounts(host, b);
    anonymousVolumes(body, b);
    limits(host, b);
    security(host, b);
    refuseUnsupported(body, host);
    try {
      return new Parsed(image, b.build(), attach);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static void ports(JsonNode body, JsonNode host, RunOptionsBuilder b,
      List<String> imageExposed) {
    JsonNode bindings = host.path("PortBindings");
    if (bindings.isObject()) {
      bindings.fields().forEachRemaining(e -> {
        String[] portProto = e.getKey().split("/");
        int containerPort = port(portProto[0], e.getKey());
        String proto = portProto.length > 1 ? portProto[1] : "tcp";
        JsonNode list = e.getValue();
        if (list == null || list.isNull() || list.isEmpty()) {
          b.publish(new PortMapping("0.0.0.0", 0, containerPort, proto));
          return;
        }
        for (JsonNode binding : list) {
          String ip = Json.text(binding, "HostIp");
          String hostPort = Json.text(binding, "HostPort");
          b.publish(new PortMapping(ip == null || ip.isEmpty() ? "0.0.0.0" : ip,
              hostPort == null || hostPort.isEmpty() ? 0 : port(hostPort, e.getKey()),
              containerPort, proto));
        }
      });
    }
    if (Json.bool(host, "PublishAllPorts")) {
      // -P: the image's and the request's exposed ports (--expose), each on a free port of
      // every interface; Berth's own publishAll would take the image's alone, on 127.0.0.1.
      java.util.Set<String> exposed = new java.util.LinkedHashSet<>();
      body.path("ExposedPorts").fieldNames().forEachRemaining(exposed::add);
      if (imageExposed == null) {
        b.publishAll(true);
      } else {
        exposed.addAll(imageExposed);
      }
      for (String key : exposed) {
        String full = key.contains("/") ? key : key + "/tcp";
        if (bindings.isObject() && (bindings.has(full) || bindings.has(key))) {
          continue;
        }
        String[] portProto = full.split("/");
        b.publish(new PortMapping("0.0.0.0", 0, port(portProto[0], key), portProto[1]));
      }
    }
  }

  private static int port(String text, String what) {
    try {
      int p = Integer.parseInt(text.contains("-") ? text.substring(0, text.indexOf('-')) : text);
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid port " + text + " in " + what);
    }
  }

  private static void network(JsonNode body, JsonNode host, RunOptionsBuilder b) {
    String mode = Json.text(host, "NetworkMode");
    String network = Networks.toBerth(mode);
    if (network != null) {
      b.network(network);
    }
    JsonNode endpoints = body.path("NetworkingConfig").path("EndpointsConfig");
    if (endpoints.isObject()) {
      endpoints.fields().forEachRemaining(e -> {
        String net = Networks.toBerth(e.getKey());
        if (network == null && net != null) {
          b.network(net);
        } else if (net != null && !net.equals(network)) {
          throw ApiException.badRequest("a container joins one network at create in Berth; "
              + "asked for " + mode + " and " + e.getKey());
        }
        Json.strings(e.getValue(), "Aliases").forEach(b::networkAlias);
      });
    }
  }

  private static void mounts(JsonNode host, RunOptionsBuilder b) {
    for (String bind : Json.strings(host, "Binds")) {
      String[] parts = bind.split(":");
      if (parts.length < 2) {
        throw ApiException.badRequest("invalid volume specification: '" + bind + "'");
      }
      boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
      if (parts[0].startsWith("/")) {
        b.bind(Path.of(parts[0]), parts[1], ro);
      } else {
        b.volume(parts[0], parts[1]);
      }
    }
    for (JsonNode m : host.path("Mounts")) {
      String type = Json.text(m, "Type");
      String source = Json.text(m, "Source");
      String target = Json.text(m, "Target");
      boolean ro = Json.bool(m, "ReadOnly");
      if (target == null) {
        throw ApiException.badRequest("invalid mount config: Target is required");
      }
      switch (type == null ? "volume" : type) {
        case "bind" -> b.bind(Path.of(source), target, ro);
        case "volume" -> {
          if (source == null || source.isEmpty()) {
            b.volume(target);
          } else {
            b.volume(source, target);
          }
        }
        case "tmpfs" -> {
          JsonNode o = m.path("TmpfsOptions");
          long size = Json.number(o, "SizeBytes");
          long mode = Json.number(o, "Mode");
          b.tmpfs(target, size, mode == 0 ? 01777 : (int) mode);
        }
        default -> throw ApiException.badRequest("mount type " + type + " is not supported by"
            + " Berth (bind, volume and tmpfs are)");
      }
    }
    Json.stringMap(host, "Tmpfs").forEach((target, options) -> {
      long size = 0;
      int mode = 01777;
      for (String o : options.split(",")) {
        if (o.startsWith("size=")) {
          size = Sizes.parse(o.substring(5));
        } else if (o.startsWith("mode=")) {
          mode = Integer.parseInt(o.substring(5), 8);
        }
      }
      b.tmpfs(target, size, mode);
    });
  }

  /** Config.Volumes ({@code -v /data}): anonymous volumes. */
  private static void anonymousVolumes(JsonNode body, RunOptionsBuilder b) {
    body.path("Volumes").fieldNames().forEachRemaining(b::volume);
  }

  private static void limits(JsonNode host, RunOptionsBuilder b) {
    long memory = Json.number(host, "Memory");
    if (memory > 0) {
      b.memory(memory);
    }
    long swap = Json.number(host, "MemorySwap");
    if (swap != 0) {
      b.memorySwap(swap);
    }
    long nanoCpus = Json.number(host, "NanoCpus");
    long quota = Json.number(host, "CpuQuota");
    long period = Json.number(host, "CpuPeriod");
    if (nanoCpus > 0) {
      b.cpus(nanoCpus / 1e9);
    } else if (quota > 0) {
      b.cpus((double) quota / (period > 0 ? period : 100_000));
    }
    long shares = Json.number(host, "CpuShares");
    if (shares > 0) {
      b.cpuShares(shares);
    }
    long pids = Json.number(host, "PidsLimit");
    if (pids > 0) {
      b.pidsLimit(pids);
    }
  }

  private static void security(JsonNode host, RunOptionsBuilder b) {
    Json.strings(host, "CapAdd").forEach(c -> b.capAdd(cap(c)));
    Json.strings(host, "CapDrop").forEach(c -> b.capDrop(cap(c)));
    if (Json.bool(host, "Privileged")) {
      b.privileged(true);
    }
    if (Json.bool(host, "ReadonlyRootfs")) {
      b.readOnlyRootfs(true);
    }
    for (String opt : Json.strings(host, "SecurityOpt")) {
      String o = opt.replace('=', ':');
      if (o.equals("no-new-privileges") || o.equals("no-new-privileges:true")) {
        b.noNewPrivileges(true);
      } else if (o.equals("no-new-privileges:false")) {
        b.noNewPrivileges(false);
      } else if (o.startsWith("seccomp:")) {
        b.seccomp(opt.substring("seccomp:".length()));
      } else if (o.startsWith("label:") || o.startsWith("apparmor:")) {
        continue; // SELinux labels and AppArmor profiles: Berth applies neither; Docker ignores them where absent too
      } else {
        throw ApiException.badRequest("security option " + opt + " is not supported by Berth"
            + " (no-new-privileges and seccomp are)");
      }
    }
  }

  private static String cap(String c) {
    String upper = c.toUpperCase(java.util.Locale.ROOT);
    return upper.equals("ALL") || upper.startsWith("CAP_") ? upper : "CAP_" + upper;
  }

  /** Non-default values of fields Berth cannot honour: a clear 400 instead of a silent ignore. */
  private static void refuseUnsupported(JsonNode body, JsonNode host) {
    Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
    for (String f : List.of("ExtraHosts", "Dns", "DnsSearch", "Devices", "DeviceRequests",
        "VolumesFrom", "Links", "Sysctls", "Ulimits")) {
      fields.put("HostConfig." + f, host.get(f));
    }
    fields.put("HostConfig.Init", host.get("Init"));
    for (var e : fields.entrySet()) {
      JsonNode v = e.getValue();
      boolean set = v != null && !v.isNull() && !(v.isArray() && v.isEmpty())
          && !(v.isObject() && v.isEmpty()) && !(v.isBoolean() && !v.asBoolean());
      if (set) {
        throw ApiException.badRequest(e.getKey() + " is not supported by Berth yet: remove "
            + "it from the request (asked for " + v + ")");
      }
    }
    String restart = Json.text(host.path("RestartPolicy"), "Name");
    if (restart != null && !restart.isEmpty() && !restart.equals("no")) {
      throw ApiException.badRequest("restart policy " + restart + " is not supported by Berth:"
          + " Berth has no daemon to restart containers");
    }
  }
}
