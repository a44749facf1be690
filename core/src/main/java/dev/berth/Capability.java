package dev.berth;

import java.util.Locale;

/**
 * A Linux capability, as {@code --cap-add} and {@code --cap-drop} name it (see capabilities(7));
 * the enum's order is the kernel's numbering.
 *
 * <pre>{@code
 * RunOptions.builder().capAdd(Capability.NET_ADMIN).capDrop(Capability.NET_RAW).build();
 * Capability.parse("cap_sys_ptrace");   // SYS_PTRACE
 * }</pre>
 *
 * <p>Docker's word {@code ALL} is not a capability: {@code RunOptionsBuilder.capAdd("ALL")}
 * takes it.
 */
public enum Capability {
  /** CAP_CHOWN. */ CHOWN,
  /** CAP_DAC_OVERRIDE. */ DAC_OVERRIDE,
  /** CAP_DAC_READ_SEARCH. */ DAC_READ_SEARCH,
  /** CAP_FOWNER. */ FOWNER,
  /** CAP_FSETID. */ FSETID,
  /** CAP_KILL. */ KILL,
  /** CAP_SETGID. */ SETGID,
  /** CAP_SETUID. */ SETUID,
  /** CAP_SETPCAP. */ SETPCAP,
  /** CAP_LINUX_IMMUTABLE. */ LINUX_IMMUTABLE,
  /** CAP_NET_BIND_SERVICE. */ NET_BIND_SERVICE,
  /** CAP_NET_BROADCAST. */ NET_BROADCAST,
  /** CAP_NET_ADMIN. */ NET_ADMIN,
  /** CAP_NET_RAW. */ NET_RAW,
  /** CAP_IPC_LOCK. */ IPC_LOCK,
  /** CAP_IPC_OWNER. */ IPC_OWNER,
  /** CAP_SYS_MODULE. */ SYS_MODULE,
  /** CAP_SYS_RAWIO. */ SYS_RAWIO,
  /** CAP_SYS_CHROOT. */ SYS_CHROOT,
  /** CAP_SYS_PTRACE. */ SYS_PTRACE,
  /** CAP_SYS_PACCT. */ SYS_PACCT,
  /** CAP_SYS_ADMIN. */ SYS_ADMIN,
  /** CAP_SYS_BOOT. */ SYS_BOOT,
  /** CAP_SYS_NICE. */ SYS_NICE,
  /** CAP_SYS_RESOURCE. */ SYS_RESOURCE,
  /** CAP_SYS_TIME. */ SYS_TIME,
  /** CAP_SYS_TTY_CONFIG. */ SYS_TTY_CONFIG,
  /** CAP_MKNOD. */ MKNOD,
  /** CAP_LEASE. */ LEASE,
  /** CAP_AUDIT_WRITE. */ AUDIT_WRITE,
  /** CAP_AUDIT_CONTROL. */ AUDIT_CONTROL,
  /** CAP_SETFCAP. */ SETFCAP,
  /** CAP_MAC_OVERRIDE. */ MAC_OVERRIDE,
  /** CAP_MAC_ADMIN. */ MAC_ADMIN,
  /** CAP_SYSLOG. */ SYSLOG,
  /** CAP_WAKE_ALARM. */ WAKE_ALARM,
  /** CAP_BLOCK_SUSPEND. */ BLOCK_SUSPEND,
  /** CAP_AUDIT_READ. */ AUDIT_READ,
  /** CAP_PERFMON. */ PERFMON,
  /** CAP_BPF. */ BPF,
  /** CAP_CHECKPOINT_RESTORE. */ CHECKPOINT_RESTORE;

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
   * @return the capability
   * @throws IllegalArgumentException naming the capability when Linux has none of that name
   */
  public static Capability parse(String name) {
    String bare = name.toUpperCase(Locale.ROOT).strip();
    if (bare.startsWith("CAP_")) {
      bare = bare.substring(4);
    }
    try {
      return valueOf(bare);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability \"" + name + "\"; use a name like "
          + "NET_ADMIN or CAP_NET_ADMIN (see capabilities(7)), or ALL");
    }
  }
}
