package dev.berth.internal.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The Linux capabilities, numbered as in linux/capability.h (the enum order is the number). */
public enum Capability {
  CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
  NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO,
  SYS_CHROOT, SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME,
  SYS_TTY_CONFIG, MKNOD, LEASE, AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG,
  WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF, CHECKPOINT_RESTORE;

  /** Docker's default set: what a container's root keeps unless told otherwise. */
  public static final Set<Capability> DOCKER_DEFAULT = Set.copyOf(EnumSet.of(CHOWN, DAC_OVERRIDE, FSETID, FOWNER,
      MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE));

  /** @return the kernel's number for this capability */
  public int number() {
    return ordinal();
  }

  /** @return the name with its CAP_ prefix, as seccomp profiles and /proc spell it */
  public String capName() {
    return "CAP_" + name();
  }

  /**
   * @param name like NET_ADMIN, CAP_NET_ADMIN or net_admin
   * @throws IllegalArgumentException naming the capability when Linux has none of that name
   */
  public static Capability parse(String name) {
    String bare = name.toUpperCase(Locale.ROOT).strip();
    if (bare.startsWith("CAP_")) bare = bare.substring(4);
    try {
      return valueOf(bare);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability \"" + name + "\"; use a name like NET_ADMIN or CAP_NET_ADMIN (see capabilities(7)), or ALL");
    }
  }

  /**
   * The set a container gets, with Docker's rules: start from the default set (every capability
   * when privileged or when add holds ALL), take away drop (all of them for ALL), then add; an
   * added capability wins over a dropped one.
   *
   * @throws IllegalArgumentException naming an unknown capability
   */
  public static Set<Capability> resolve(Collection<String> add, Collection<String> drop, boolean privileged) {
    boolean addAll = add.stream().anyMatch(Capability::isAll);
    boolean dropAll = drop.stream().anyMatch(Capability::isAll);
    EnumSet<Capability> caps = privileged || addAll ? EnumSet.allOf(Capability.class) : EnumSet.copyOf(DOCKER_DEFAULT);
    if (dropAll) caps.clear();
    caps.removeAll(parseAll(drop));
    caps.addAll(parseAll(add));
    return Set.copyOf(caps);
  }

  private static boolean isAll(String name) {
    return name.strip().equalsIgnoreCase("ALL");
  }

  private static Set<Capability> parseAll(Collection<String> names) {
    return names.stream().filter(n -> !isAll(n)).map(Capability::parse).collect(Collectors.toCollection(() -> EnumSet.noneOf(Capability.class)));
  }

  /** @return the capabilities as a bit mask, bit n for capability n */
  public static long mask(Collection<Capability> caps) {
    return caps.stream().mapToLong(c -> 1L << c.number()).reduce(0, (a, b) -> a | b);
  }

  static Set<String> capNames(Collection<Capability> caps) {
    return caps.stream().map(Capability::capName).collect(Collectors.toSet());
  }
}
