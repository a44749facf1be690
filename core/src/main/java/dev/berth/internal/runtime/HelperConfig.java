package dev.berth.internal.runtime;

import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.net.Networks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a RuntimeSpec in the helper's config format (src/main/c/CONFIG.md, version 1). */
final class HelperConfig {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private HelperConfig() {}

  static byte[] encode(RuntimeSpec spec, ContainerFiles files) {
    return encode(spec, files, null, null);
  }

  /**
   * @param net the network, or null for what the namespaces say (own one or the host's)
   * @param attachment the veth on a user-defined network, or null
   */
  static byte[] encode(RuntimeSpec spec, ContainerFiles files, NetworkSpec net, Networks.Attachment attachment) {
    HelperConfig c = new HelperConfig();
    c.put("version", Integer.toString(HelperProtocol.CONFIG_VERSION));
    c.put("state_dir", files.dir().toString());
    c.put("log", files.log().toString());
    if (spec.rootfs() instanceof RuntimeSpec.Overlay o) {
      o.lowerTopFirst().forEach(p -> c.put("rootfs.lower", p.toString()));
      c.put("rootfs.upper", o.upper().toString());
      c.put("rootfs.work", o.work().toString());
    } else if (spec.rootfs() instanceof RuntimeSpec.Directory d) {
      c.put("rootfs.dir", d.dir().toString());
    }
    spec.argv().forEach(a -> c.put("arg", a));
    spec.env().forEach(e -> c.put("env", e));
    c.put("cwd", spec.cwd());
    c.put("uid", Integer.toString(spec.uid()));
    c.put("gid", Integer.toString(spec.gid()));
    spec.groups().forEach(g -> c.put("group", g.toString()));
    if (spec.hostname() != null) c.put("hostname", spec.hostname());
    spec.namespaces().forEach(n -> c.put("namespace", n.word));
    spec.rlimits().forEach(r -> c.put("rlimit", r.name() + " " + limit(r.soft()) + " " + limit(r.hard())));
    for (RuntimeSpec.Mount m : spec.mounts()) {
      c.put("mount", m.type());
      if (m.type().equals("bind")) c.put("mount.source", m.source());
      c.put("mount.dest", m.dest());
      c.put("mount.options", m.options());
    }
    c.put("stdin", spec.stdinOpen() ? "1" : "0");
    if (net != null) c.putNetwork(net, attachment);
    return c.out.toByteArray();
  }

  private void putNetwork(NetworkSpec net, Networks.Attachment a) {
    if (net.mode() == NetworkSpec.Mode.CONTAINER) put("net.join", "/proc/" + net.joinPid() + "/ns/net");
    net.ports().forEach(p -> put("publish", p.protocol() + " " + p.hostIp() + " " + p.hostPort() + " " + p.containerPort()));
    if (net.mode() == NetworkSpec.Mode.PRIVATE) NetworkCapabilities.slirp().ifPresent(p -> put("net.slirp", p.toString()));
    if (a == null) return;
    put("net.ip_tool", a.ipTool().toString());
    put("net.bridge", a.bridge());
    put("net.veth", a.veth());
    put("net.address", a.address());
    put("net.gateway", a.gateway());
  }

  private static String limit(long v) {
    return v == -1 ? "unlimited" : Long.toString(v);
  }

  /** One record: "key value" and a NUL. A NUL inside a value would split the record. */
  private void put(String key, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(key + " \"" + value.replace('\0', '?') + "\" contains a NUL byte, which no Linux path, argument or variable may hold");
    }
    out.writeBytes((key + " " + value).getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
