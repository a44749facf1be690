package dev.berth.internal.security;

/**
 * What a seccomp rule does to a matching call, as the kernel's SECCOMP_RET_* value.
 *
 * @param name the profile's word, like SCMP_ACT_ERRNO
 * @param ret the 32-bit value the BPF program returns
 */
record SeccompAction(String name, int ret) {
  static final int EPERM = 1;
  static final int ENOSYS = 38;
  static final SeccompAction ALLOW = new SeccompAction("SCMP_ACT_ALLOW", 0x7fff0000);
  static final SeccompAction KILL_PROCESS = new SeccompAction("SCMP_ACT_KILL_PROCESS", 0x80000000);

  /**
   * @param errnoRet the errno for SCMP_ACT_ERRNO; other actions ignore it
   * @throws IllegalArgumentException naming an action Berth does not know or cannot do
   */
  static SeccompAction parse(String name, int errnoRet) {
    return switch (name) {
      case "SCMP_ACT_ALLOW" -> ALLOW;
      case "SCMP_ACT_ERRNO" -> errno(errnoRet);
      case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> new SeccompAction(name, 0);
      case "SCMP_ACT_KILL_PROCESS" -> KILL_PROCESS;
      case "SCMP_ACT_TRAP" -> new SeccompAction(name, 0x00030000);
      case "SCMP_ACT_LOG" -> new SeccompAction(name, 0x7ffc0000);
      case "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY" -> throw new IllegalArgumentException("seccomp action " + name
          + " needs a tracer or a notification listener, which Berth does not run; use SCMP_ACT_ERRNO or SCMP_ACT_KILL");
      default -> throw new IllegalArgumentException("unknown seccomp action \"" + name
          + "\"; use SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP or SCMP_ACT_LOG");
    };
  }

  static SeccompAction errno(int errno) {
    if (errno < 0 || errno > 4095) throw new IllegalArgumentException("seccomp errnoRet " + errno + " must be 0 to 4095");
    return new SeccompAction("SCMP_ACT_ERRNO(" + errno + ")", 0x00050000 | errno);
  }
}
