package dev.berth.internal.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes a RuntimeSpec in the helper's config format (src/main/c/CONFIG.md, version 1). */
final class HelperConfig {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private HelperConfig() {}

  static byte[] encode(RuntimeSpec spec, ContainerFiles files) {
    HelperConfig c = new HelperConfig();
    c.put("version", Integer.toString(HelperProtocol.CONFIG_VERSION));
    c.put("state_dir", files.dir().toString());
    c.put("log", files.log().toString());
    if (spec.rootfs() instanceof RuntimeSpec.Overlay o) {
      c.putOverlay(o);
    } else if (spec.rootfs() instanceof RuntimeSpec.FuseOverlay f) {
      c.putOverlay(f.overlay());
      c.put("rootfs.fuse", f.program().toString());
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
    if (spec.rootfs() instanceof RuntimeSpec.Overlay o && o.userXattr()) c.put("rootfs.userxattr", "1");
    if (spec.namespaces().contains(RuntimeSpec.Namespace.USER)) c.putMaps(spec.idMapping());
    return c.out.toByteArray();
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
