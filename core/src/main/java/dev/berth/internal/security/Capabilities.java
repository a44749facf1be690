package dev.berth.internal.security;

import dev.berth.Capability;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Sets of capabilities, by Docker's rules. */
public final class Capabilities {
  private Capabilities() {}

  /** Docker's default set: what a container's root keeps unless told otherwise. */
  public static final Set<Capability> DOCKER_DEFAULT = Set.copyOf(EnumSet.of(Capability.CHOWN,
      Capability.DAC_OVERRIDE, Capability.FSETID, Capability.FOWNER, Capability.MKNOD,
      Capability.NET_RAW, Capability.SETGID, Capability.SETUID, Capability.SETFCAP,
      Capability.SETPCAP, Capability.NET_BIND_SERVICE, Capability.SYS_CHROOT, Capability.KILL,
      Capability.AUDIT_WRITE));

  /** @return true for Docker's word ALL, in any case */
  public static boolean isAll(String name) {
    return name.strip().equalsIgnoreCase("ALL");
  }

  /**
   * The set a container gets, with Docker's rules: start from the default set (every capability
   * when privileged or when addAll), take away drop (all of them for dropAll), then add; an
   * added capability wins over a dropped one.
   */
  public static Set<Capability> resolve(Collection<Capability> add, boolean addAll,
      Collection<Capability> drop, boolean dropAll, boolean privileged) {
    EnumSet<Capability> caps = privileged || addAll ? EnumSet.allOf(Capability.class) : EnumSet.copyOf(DOCKER_DEFAULT);
    if (dropAll) caps.clear();
    caps.removeAll(drop);
    caps.addAll(add);
    return Set.copyOf(caps);
  }

  /**
   * {@link #resolve(Collection, boolean, Collection, boolean, boolean)} of names (NET_ADMIN,
   * CAP_NET_ADMIN, ALL).
   *
   * @throws IllegalArgumentException naming an unknown capability
   */
  public static Set<Capability> resolve(Collection<String> add, Collection<String> drop, boolean privileged) {
    return resolve(parseAll(add), add.stream().anyMatch(Capabilities::isAll), parseAll(drop),
        drop.stream().anyMatch(Capabilities::isAll), privileged);
  }

  private static Set<Capability> parseAll(Collection<String> names) {
    return names.stream().filter(n -> !isAll(n)).map(Capability::parse)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Capability.class)));
  }

  /** @return the capabilities as a bit mask, bit n for capability n */
  public static long mask(Collection<Capability> caps) {
    return caps.stream().mapToLong(c -> 1L << c.number()).reduce(0, (a, b) -> a | b);
  }

  static Set<String> capNames(Collection<Capability> caps) {
    return caps.stream().map(Capability::capName).collect(Collectors.toSet());
  }
}
