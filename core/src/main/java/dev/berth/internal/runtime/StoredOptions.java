package dev.berth.internal.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.Mount;
import dev.berth.PortMapping;
import dev.berth.RunOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every {@link RunOptions} of a container as created, in {@code container.json}: a start, from
 * any JVM, takes its options from here. Its own schema (not the public types'), so the public
 * records can change without breaking stored containers; {@link #from} and {@link #toRunOptions}
 * round-trip every option (see {@code StoredOptionsTest}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StoredOptions(
    List<String> command,
    List<String> entrypoint,
    Map<String, String> env,
    String workingDir,
    String user,
    String name,
    String hostname,
    Map<String, String> labels,
    boolean detach,
    boolean autoRemove,
    boolean tty,
    boolean stdinOpen,
    boolean removeWithJvm,
    List<Port> ports,
    boolean publishAll,
    String network,
    List<String> networkAliases,
    List<StoredMount> mounts,
    Limits limits,
    boolean limitsBestEffort,
    List<String> capAdd,
    List<String> capDrop,
    boolean privileged,
    boolean readOnlyRootfs,
    String seccomp,
    boolean noNewPrivileges) {

  /** A published port. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Port(String hostIp, int hostPort, int containerPort, String protocol) {}

  /** A mount as asked for: {@code type} is BIND, VOLUME or TMPFS; an anonymous volume has no source. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StoredMount(String type, String source, String target, boolean readOnly,
      long sizeBytes, int mode) {}

  /** Resource limits, 0 meaning none. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Limits(long memoryBytes, long memorySwapBytes, double cpus, long cpuShares,
      long pidsLimit) {}

  public StoredOptions {
    // LinkedHashMap: the order of env is the order the process sees it in
    env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    ports = ports == null ? List.of() : List.copyOf(ports);
    networkAliases = networkAliases == null ? List.of() : List.copyOf(networkAliases);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
  }

  public static StoredOptions from(RunOptions o) {
    RunOptions.Process p = o.process();
    RunOptions.Network n = o.network();
    RunOptions.Security s = o.security();
    RunOptions.Limits l = o.limits();
    return new StoredOptions(p.command(), p.entrypoint(), p.env(), p.workingDir(), p.user(),
        o.name(), n.hostname(), o.labels(), o.detach(), o.autoRemove(), p.tty(), p.stdinOpen(),
        o.removeWithJvm(),
        n.ports().stream().map(x -> new Port(x.hostIp(), x.hostPort(), x.containerPort(), x.protocol())).toList(),
        n.publishAll(), n.mode().toString(), n.aliases(),
        o.mounts().stream().map(m -> new StoredMount(m.type().name(), m.source(), m.target(),
            m.readOnly(), m.sizeBytes(), m.mode())).toList(),
        new Limits(l.memoryBytes(), l.memorySwapBytes(), l.cpus(), l.cpuShares(), l.pidsLimit()),
        o.limitsBestEffort(), capNames(s.capAdd(), s.capAddAll()), capNames(s.capDrop(), s.capDropAll()),
        s.privileged(), s.readOnlyRootfs(), seccompWord(s.seccomp()), s.noNewPrivileges());
  }

  /** The names as {@code --cap-add} takes them, ALL first. */
  private static List<String> capNames(java.util.Set<dev.berth.Capability> caps, boolean all) {
    List<String> names = new java.util.ArrayList<>();
    if (all) {
      names.add("ALL");
    }
    caps.forEach(c -> names.add(c.name()));
    return names;
  }

  /** The profile as {@link dev.berth.SeccompProfile#parse} takes it back. */
  private static String seccompWord(dev.berth.SeccompProfile profile) {
    return profile instanceof dev.berth.SeccompProfile.Json j ? j.json() : profile.toString();
  }

  /**
   * The options again. A bind's host path is not checked for existence here (it was at
   * creation; a start finds out).
   */
  public RunOptions toRunOptions() {
    dev.berth.RunOptionsBuilder b = RunOptions.builder();
    if (command != null) {
      b.command(command);
    }
    if (entrypoint != null) {
      b.entrypoint(entrypoint.toArray(String[]::new));
    }
    b.env(env).workingDir(workingDir).user(user).name(name).hostname(hostname);
    labels.forEach(b::label);
    b.detach(detach).autoRemove(autoRemove).tty(tty).stdinOpen(stdinOpen)
        .removeWithJvm(removeWithJvm).publishAll(publishAll);
    ports.forEach(p -> b.publish(new PortMapping(p.hostIp(), p.hostPort(), p.containerPort(), p.protocol())));
    if (network != null) {
      b.network(network);
    }
    networkAliases.forEach(b::networkAlias);
    mounts.forEach(m -> b.mount(new Mount(Mount.Type.valueOf(m.type()), m.source(), m.target(),
        m.readOnly(), m.sizeBytes(), m.mode())));
    if (limits != null) {
      b.memory(limits.memoryBytes()).memorySwap(limits.memorySwapBytes()).cpus(limits.cpus())
          .cpuShares(limits.cpuShares()).pidsLimit(limits.pidsLimit());
    }
    b.limitsBestEffort(limitsBestEffort);
    capAdd.forEach(b::capAdd);
    capDrop.forEach(b::capDrop);
    b.privileged(privileged).readOnlyRootfs(readOnlyRootfs)
        .seccomp(seccomp == null ? "default" : seccomp).noNewPrivileges(noNewPrivileges);
    return b.build();
  }
}
