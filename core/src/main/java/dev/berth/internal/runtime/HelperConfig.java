package dev.berth.internal.runtime;

import dev.berth.internal.net.NetworkCapabilities;
import dev.berth.internal.net.NetworkSpec;
import dev.berth.internal.net.Networks;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes a RuntimeSpec or an RuntimeProcess in the helper's config format (src/main/c/CONFIG.md, version 1). */
final class HelperConfig {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private HelperConfig() {}

  static byte[] encode(RuntimeSpec spec, ContainerFiles files) {
    return encode(spec, files, MonitorOptions.ATTACHED, null, null);
  }

  static byte[] encode(RuntimeSpec spec, ContainerFiles files, MonitorOptions monitor) {
    return encode(spec, files, monitor, null, null);
  }

  /**
   * @param net the network, or null for what the namespaces say (own one or the host's)
   * @param attachments the veths on user-defined networks (null: none): on a BRIDGE network the
   *     first is eth0 with the default route and the others go as {@code net.extra}; on a
   *     private one all go as {@code net.extra}
   */
  static byte[] encode(RuntimeSpec spec, ContainerFiles files, MonitorOptions monitor, NetworkSpec net,
      List<Networks.Attachment> attachments) {
    HelperConfig c = start(files);
    c.put("log", files.log().toString());
    if (spec.rootfs() instanceof RuntimeSpec.Overlay o) {
      c.putOverlay(o);
    } else if (spec.rootfs() instanceof RuntimeSpec.FuseOverlay f) {
      c.putOverlay(f.overlay());
      c.put("rootfs.fuse", f.program().toString());
    } else if (spec.rootfs() instanceof RuntimeSpec.Directory d) {
      c.put("rootfs.dir", d.dir().toString());
    }
    c.putProcess(spec.process());
    if (spec.hostname() != null) c.put("hostname", spec.hostname());
    spec.namespaces().forEach(n -> c.put("namespace", n.word));
    spec.rlimits().forEach(r -> c.put("rlimit", r.name() + " " + limit(r.soft()) + " " + limit(r.hard())));
    for (RuntimeSpec.Mount m : spec.mounts()) {
      c.put("mount", m.type());
      if (m.type().equals("bind")) c.put("mount.source", m.source());
      c.put("mount.dest", m.dest());
      c.put("mount.options", m.options());
    }
    c.putStdio(spec.process());
    c.put("relay", monitor.relay() ? "1" : "0");
    monitor.cgroups().forEach(dir -> c.put("cgroup", dir.toString()));
    c.put("autoremove", monitor.autoRemove() ? "1" : "0");
    if (monitor.ownerPid() != 0) c.put("owner_pid", Long.toString(monitor.ownerPid()));
    if (net != null) c.putNetwork(net, attachments == null ? List.of() : attachments);
    c.security(spec.security(), files);
    if (spec.rootfs() instanceof RuntimeSpec.Overlay o && o.userXattr()) c.put("rootfs.userxattr", "1");
    if (spec.namespaces().contains(RuntimeSpec.Namespace.USER)) c.putMaps(spec.idMapping());
    return c.out.toByteArray();
  }

  /** An exec: the process joins the namespaces of targetPid, the running container's init. */
  static byte[] encodeExec(RuntimeProcess spec, ContainerFiles execFiles, long targetPid) {
    return encodeExec(spec, execFiles, targetPid, null);
  }

  /**
   * @param containerSeccomp the container's compiled filter, which the exec'd process gets too
   *     (the helper takes the capabilities and no_new_privs from the container's process); null
   *     or a missing file: none (the container is unconfined)
   */
  static byte[] encodeExec(RuntimeProcess spec, ContainerFiles execFiles, long targetPid, Path containerSeccomp) {
    HelperConfig c = start(execFiles);
    c.put("target_pid", Long.toString(targetPid));
    c.putProcess(spec);
    c.putStdio(spec);
    if (containerSeccomp != null && Files.isRegularFile(containerSeccomp)) c.put("seccomp", containerSeccomp.toString());
    return c.out.toByteArray();
  }

  private void security(RuntimeSpec.Security s, ContainerFiles files) {
    if (s.capabilities().isEmpty()) put("cap", "none");
    s.capabilities().forEach(cap -> put("cap", Integer.toString(cap.number())));
    if (!(s.seccomp() instanceof RuntimeSpec.Unconfined)) put("seccomp", files.seccomp().toString());
    put("no_new_privs", s.noNewPrivileges() ? "1" : "0");
    put("readonly_rootfs", s.readOnlyRootfs() ? "1" : "0");
    put("privileged", s.privileged() ? "1" : "0");
  }

  private static HelperConfig start(ContainerFiles files) {
    HelperConfig c = new HelperConfig();
    c.put("version", Integer.toString(HelperProtocol.CONFIG_VERSION));
    c.put("state_dir", files.dir().toString());
    return c;
  }

  private void putProcess(RuntimeProcess p) {
    p.argv().forEach(a -> put("arg", a));
    p.env().forEach(e -> put("env", e));
    put("cwd", p.cwd());
    put("uid", Integer.toString(p.uid()));
    put("gid", Integer.toString(p.gid()));
    p.groups().forEach(g -> put("group", g.toString()));
  }

  private void putStdio(RuntimeProcess p) {
    put("stdin", p.stdinOpen() ? "1" : "0");
    put("tty", p.tty() ? "1" : "0");
    if (p.tty()) {
      put("tty.rows", Integer.toString(p.ttySize().rows()));
      put("tty.cols", Integer.toString(p.ttySize().cols()));
    }
  }

  private void putNetwork(NetworkSpec net, List<Networks.Attachment> attachments) {
    if (net.mode() == NetworkSpec.Mode.CONTAINER) put("net.join", "/proc/" + net.joinPid() + "/ns/net");
    net.ports().forEach(p -> put("publish", p.protocol() + " " + p.hostIp() + " " + p.hostPort() + " " + p.containerPort()));
    if (net.mode() == NetworkSpec.Mode.PRIVATE) NetworkCapabilities.slirp().ifPresent(p -> put("net.slirp", p.toString()));
    if (attachments.isEmpty()) return;
    put("net.ip_tool", attachments.get(0).ipTool().toString());
    List<Networks.Attachment> extra = attachments;
    if (net.mode() == NetworkSpec.Mode.BRIDGE) {
      Networks.Attachment a = attachments.get(0);
      put("net.bridge", a.bridge());
      put("net.veth", a.veth());
      put("net.address", a.address());
      put("net.gateway", a.gateway());
      extra = attachments.subList(1, attachments.size());
    }
    extra.forEach(x -> put("net.extra", x.bridge() + " " + x.veth() + " " + x.iface() + " " + x.address()));
  }

  /** A file system job (CONFIG.md): chown then remove, under root, in a namespace with these maps. */
  static byte[] encodeJob(Path root, IdMapping maps, List<HelperJobs.Chown> chowns, List<String> removes) {
    HelperConfig c = new HelperConfig();
    c.put("version", Integer.toString(HelperProtocol.CONFIG_VERSION));
    c.put("job.root", root.toString());
    c.putMaps(maps);
    chowns.forEach(o -> c.put("job.chown", o.uid() + " " + o.gid() + " " + o.path()));
    removes.forEach(r -> c.put("job.remove", r));
    return c.out.toByteArray();
  }

  /**
   * A job that mounts a view (CONFIG.md: job.view) at {@code at}, then copies its {@code fill}
   * path into {@code root} (fill not null), or holds it until its stdin ends.
   */
  static byte[] encodeViewJob(Path root, IdMapping maps, HelperJobs.View view, Path at, String fill, boolean hold) {
    HelperConfig c = new HelperConfig();
    c.put("version", Integer.toString(HelperProtocol.CONFIG_VERSION));
    c.put("job.root", root.toString());
    c.putMaps(maps);
    c.put("job.view", at.toString());
    view.lowersTopFirst().forEach(p -> c.put("rootfs.lower", p.toString()));
    if (view.upper() != null) {
      c.put("rootfs.upper", view.upper().toString());
      c.put("rootfs.work", view.work().toString());
    }
    if (view.userXattr()) c.put("rootfs.userxattr", "1");
    if (view.fuseProgram() != null) c.put("rootfs.fuse", view.fuseProgram().toString());
    if (fill != null) c.put("job.fill", fill);
    if (hold) c.put("job.hold", "1");
    return c.out.toByteArray();
  }

  private void putOverlay(RuntimeSpec.Overlay o) {
    o.lowerTopFirst().forEach(p -> put("rootfs.lower", p.toString()));
    put("rootfs.upper", o.upper().toString());
    put("rootfs.work", o.work().toString());
  }

  /** Only a full range is written: without records the helper maps the caller alone, to 0. */
  private void putMaps(IdMapping maps) {
    if (maps.kind() == IdMapping.Kind.FULL_RANGE) {
      maps.uids().forEach(r -> put("uidmap", r.toString()));
      maps.gids().forEach(r -> put("gidmap", r.toString()));
    }
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
