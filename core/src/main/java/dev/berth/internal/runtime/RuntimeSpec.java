package dev.berth.internal.runtime;

import dev.berth.internal.linux.Linux;
import dev.berth.Capability;
import dev.berth.internal.security.Capabilities;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import dev.berth.internal.linux.Syscalls;

/**
 * Everything the helper needs to start one container's process: what to run, as whom, on which
 * root file system, in which namespaces. Names (users, groups) are already resolved to numbers.
 *
 * @param process what runs: argv, env, working directory (created when missing), ids, stdin, tty
 * @param hostname the container's host name, or null to keep the helper's default
 * @param namespaces the namespaces to create; {@link Namespace#MOUNT} is required
 * @param mounts extra mounts, applied in order after /proc, /dev and /sys
 * @param rlimits resource limits; they can only lower the current ones
 * @param security capabilities, seccomp, no_new_privs, a read-only root, privileged mode
 * @param idMapping the user namespace's id maps (used with {@link Namespace#USER}; only a
 *     {@link IdMapping.Kind#FULL_RANGE} is written, the single mapping is the helper's default)
 */
public record RuntimeSpec(
    RuntimeProcess process,
    String hostname,
    RootFs rootfs,
    Set<Namespace> namespaces,
    List<Mount> mounts,
    List<Rlimit> rlimits,
    Security security,
    IdMapping idMapping) {

  /** A Linux namespace the container gets its own of. */
  public enum Namespace {
    MOUNT("mount"), UTS("uts"), IPC("ipc"), NET("net"), PID("pid"), USER("user"), CGROUP("cgroup");

    final String word;

    Namespace(String word) {
      this.word = word;
    }
  }

  /** The container's root file system. */
  public sealed interface RootFs permits Overlay, FuseOverlay, Directory {}

  /**
   * An overlay mount: read-only layers plus a writable upper directory.
   *
   * @param lowerTopFirst layer directories, the top (newest) layer first, as overlayfs wants
   * @param userXattr mount with {@code userxattr}: the layers were unpacked by an unprivileged
   *     user and mark opaque directories with {@code user.overlay.opaque}
   */
  public record Overlay(List<Path> lowerTopFirst, Path upper, Path work, boolean userXattr) implements RootFs {
    /** An overlay of layers unpacked by root (trusted.overlay.* xattrs). */
    public Overlay(List<Path> lowerTopFirst, Path upper, Path work) {
      this(lowerTopFirst, upper, work, false);
    }

    public Overlay {
      lowerTopFirst = List.copyOf(lowerTopFirst);
      if (lowerTopFirst.isEmpty()) throw new IllegalArgumentException("an overlay root needs at least one layer directory");
      lowerTopFirst.forEach(p -> requireAbsolute("overlay layer", p));
      requireAbsolute("overlay upper dir", upper);
      requireAbsolute("overlay work dir", work);
    }
  }

  /**
   * The overlay made by fuse-overlayfs instead of the kernel (rootless on kernels before 5.11).
   *
   * @param overlay the layers, upper and work dirs
   * @param program the fuse-overlayfs executable
   */
  public record FuseOverlay(Overlay overlay, Path program) implements RootFs {
    public FuseOverlay {
      Objects.requireNonNull(overlay, "overlay");
      requireAbsolute("fuse-overlayfs program", program);
    }
  }

  /** A plain directory used as the root, bind-mounted (changes go straight into it). */
  public record Directory(Path dir) implements RootFs {
    public Directory {
      requireAbsolute("root directory", dir);
    }
  }

  /**
   * A bind mount of a host file or directory, or a tmpfs.
   *
   * @param type "bind" or "tmpfs"
   * @param source host path for a bind; ignored for tmpfs
   * @param options for a bind "ro" or "rw"; for a tmpfs its mount options, like "size=64m"
   */
  public record Mount(String type, String source, String dest, String options) {
    public Mount {
      if (!type.equals("bind") && !type.equals("tmpfs")) {
        throw new IllegalArgumentException("mount type \"" + type + "\" is not bind or tmpfs");
      }
      if (!dest.startsWith("/")) throw new IllegalArgumentException("mount destination \"" + dest + "\" must be absolute");
      if (type.equals("bind") && (source == null || !source.startsWith("/"))) {
        throw new IllegalArgumentException("bind mount source \"" + source + "\" must be an absolute host path");
      }
      if (type.equals("bind") && !List.of("", "ro", "rw").contains(options)) {
        throw new IllegalArgumentException("bind mount options \"" + options + "\" must be ro or rw");
      }
      source = source == null ? "" : source;
    }

    /** A bind of a host path into the container. */
    public static Mount bind(Path source, String dest, boolean readOnly) {
      return new Mount("bind", source.toString(), dest, readOnly ? "ro" : "rw");
    }
  }

  /**
   * A resource limit, by its name without RLIMIT_ (NOFILE, NPROC, ...); -1 means unlimited.
   */
  public record Rlimit(String name, long soft, long hard) {
    private static final Set<String> NAMES = Set.of("CPU", "FSIZE", "DATA", "STACK", "CORE", "RSS", "NPROC",
        "NOFILE", "MEMLOCK", "AS", "LOCKS", "SIGPENDING", "MSGQUEUE", "NICE", "RTPRIO", "RTTIME");

    public Rlimit {
      if (!NAMES.contains(name)) throw new IllegalArgumentException("unknown rlimit " + name + "; use one of " + NAMES);
      if (soft < -1 || hard < -1) throw new IllegalArgumentException("rlimit " + name + " must be >= 0 or -1 (unlimited)");
      if (hard != -1 && (soft == -1 || soft > hard)) {
        throw new IllegalArgumentException("rlimit " + name + ": soft limit " + soft + " is above the hard limit " + hard);
      }
    }
  }

  /** Which seccomp filter the container gets. */
  public sealed interface Seccomp permits BuiltInSeccomp, Unconfined, SeccompProfileFile, SeccompProfileJson {}

  /** Berth's default profile (dev/berth/internal/security/default-seccomp.json). */
  public record BuiltInSeccomp() implements Seccomp {}

  /** No seccomp filter at all. */
  public record Unconfined() implements Seccomp {}

  /** The user's profile, a JSON file in Docker's seccomp format. */
  public record SeccompProfileFile(Path file) implements Seccomp {
    public SeccompProfileFile {
      requireAbsolute("seccomp profile", file);
    }
  }

  /** The user's profile given as its text, in Docker's seccomp format (as the docker CLI sends it). */
  public record SeccompProfileJson(String json) implements Seccomp {
    public SeccompProfileJson {
      Objects.requireNonNull(json, "json");
    }
  }

  /**
   * How the container is confined beyond its namespaces, with Docker's defaults.
   *
   * @param capabilities what root in the container holds (a non-root user holds none)
   * @param seccomp the filter; always {@link Unconfined} when privileged
   * @param noNewPrivileges whether no_new_privs is set, so setuid binaries and file
   *     capabilities grant nothing
   * @param readOnlyRootfs whether the root file system is mounted read-only (its /dev, /proc,
   *     /sys, tmpfs and bind mounts stay as they are)
   * @param privileged every capability, no seccomp, no masked or read-only /proc paths, /sys
   *     writable (the host's devices are NOT added to /dev)
   */
  public record Security(Set<Capability> capabilities, Seccomp seccomp, boolean noNewPrivileges,
      boolean readOnlyRootfs, boolean privileged) {
    public Security {
      capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
      Objects.requireNonNull(seccomp, "seccomp");
      if (privileged && !(seccomp instanceof Unconfined)) {
        throw new IllegalArgumentException("a privileged container has no seccomp filter; leave seccomp at its default");
      }
    }

    /** Docker's: its default capabilities, the built-in seccomp profile, no_new_privs, a writable root. */
    public static Security defaults() {
      return new Security(Capabilities.DOCKER_DEFAULT, new BuiltInSeccomp(), true, false, false);
    }
  }

  public RuntimeSpec {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(security, "security");
    namespaces = namespaces.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(namespaces));
    mounts = List.copyOf(mounts);
    rlimits = List.copyOf(rlimits);
    Objects.requireNonNull(rootfs, "rootfs");
    Objects.requireNonNull(idMapping, "idMapping");
    if (hostname != null && (hostname.isEmpty() || hostname.length() > 64)) {
      throw new IllegalArgumentException("hostname \"" + hostname + "\" must be 1 to 64 characters");
    }
    if (!namespaces.contains(Namespace.MOUNT)) {
      throw new IllegalArgumentException("a container needs its own mount namespace; add Namespace.MOUNT");
    }
  }

  /** @return this spec with other namespaces (the launcher matches NET to the network mode) */
  public RuntimeSpec withNamespaces(Set<Namespace> set) {
    return new RuntimeSpec(process, hostname, rootfs, set, mounts, rlimits,
        security, idMapping);
  }

  private static void requireAbsolute(String what, Path p) {
    if (p == null || !p.isAbsolute()) throw new IllegalArgumentException(what + " \"" + p + "\" must be an absolute path");
  }

  /**
   * Mount, uts, ipc, net and pid; plus user when this JVM is not root (it then maps its own uid
   * and gid to root in the container).
   */
  public static Set<Namespace> defaultNamespaces() {
    EnumSet<Namespace> set = EnumSet.of(Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET, Namespace.PID);
    if (!Linux.isRoot()) set.add(Namespace.USER);
    return set;
  }

  /** A builder that starts with uid 0, cwd / and {@link #defaultNamespaces()}. */
  public static Builder builder(RootFs rootfs, String... argv) {
    return new Builder(rootfs, List.of(argv));
  }

  /** Mutable twin of RuntimeSpec for building one. */
  public static final class Builder {
    private final RootFs rootfs;
    private final RuntimeProcess.Builder process;
    private String hostname;
    private Set<Namespace> namespaces = defaultNamespaces();
    private final List<Mount> mounts = new ArrayList<>();
    private final List<Rlimit> rlimits = new ArrayList<>();
    private final Set<Capability> capAdd = EnumSet.noneOf(Capability.class);
    private final Set<Capability> capDrop = EnumSet.noneOf(Capability.class);
    private boolean capAddAll;
    private boolean capDropAll;
    private boolean privileged;
    private Seccomp seccomp = new BuiltInSeccomp();
    private boolean noNewPrivileges = true;
    private boolean readOnlyRootfs;
    private IdMapping idMapping = Linux.isRoot() ? IdMapping.host()
        : IdMapping.single(Syscalls.getuid(), Syscalls.getegid());

    private Builder(RootFs rootfs, List<String> argv) {
      this.rootfs = rootfs;
      this.process = RuntimeProcess.builder().argv(argv);
    }

    // The process's setters pass through to its one holder, RuntimeProcess.Builder.
    public Builder env(String nameValue) { process.env(nameValue); return this; }
    public Builder cwd(String dir) { process.cwd(dir); return this; }
    public Builder user(int uid, int gid, Integer... groups) { process.user(uid, gid, groups); return this; }
    public Builder hostname(String name) { hostname = name; return this; }
    public Builder namespaces(Set<Namespace> set) {
      namespaces = EnumSet.noneOf(Namespace.class);
      namespaces.addAll(set);
      return this;
    }
    public Builder mount(Mount m) { mounts.add(m); return this; }
    public Builder rlimit(Rlimit r) { rlimits.add(r); return this; }
    public Builder stdinOpen(boolean open) { process.stdinOpen(open); return this; }
    /** Gives the process a terminal, like {@code docker run -t}. */
    public Builder tty(boolean on) { process.tty(on); return this; }
    /** The terminal's initial size; {@link TtySize#DEFAULT} unless set. */
    public Builder ttySize(int rows, int cols) { process.ttySize(rows, cols); return this; }
    /** Capabilities on top of Docker's default set: NET_ADMIN, CAP_NET_ADMIN or ALL. */
    public Builder capAdd(String... names) {
      for (String n : names) {
        if (Capabilities.isAll(n)) capAddAll = true;
        else capAdd.add(Capability.parse(n));
      }
      return this;
    }
    /** Typed: these capabilities on top of the default set, or (all) every one. */
    public Builder capAdd(Collection<Capability> caps, boolean all) { capAdd.addAll(caps); capAddAll |= all; return this; }
    /** Capabilities taken from Docker's default set (ALL for every one); an added one wins. */
    public Builder capDrop(String... names) {
      for (String n : names) {
        if (Capabilities.isAll(n)) capDropAll = true;
        else capDrop.add(Capability.parse(n));
      }
      return this;
    }
    /** Typed: these capabilities taken from the default set, or (all) every one. */
    public Builder capDrop(Collection<Capability> caps, boolean all) { capDrop.addAll(caps); capDropAll |= all; return this; }
    /** All capabilities, no seccomp, no masked paths, a writable /sys. */
    public Builder privileged(boolean on) { privileged = on; return this; }
    public Builder seccomp(Seccomp filter) { seccomp = filter; return this; }
    public Builder noNewPrivileges(boolean on) { noNewPrivileges = on; return this; }
    public Builder readOnlyRootfs(boolean on) { readOnlyRootfs = on; return this; }
    public Builder idMapping(IdMapping m) { idMapping = Objects.requireNonNull(m); return this; }

    /** @throws IllegalArgumentException naming an unknown capability or another bad value */
    public RuntimeSpec build() {
      Security security = new Security(Capabilities.resolve(capAdd, capAddAll, capDrop, capDropAll, privileged),
          privileged ? new Unconfined() : seccomp, noNewPrivileges, readOnlyRootfs, privileged);
      return new RuntimeSpec(process.build(), hostname, rootfs, namespaces, mounts, rlimits, security, idMapping);
    }
  }
}
