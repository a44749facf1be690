package dev.berth.internal.runtime;

/**
 * What the Java side and the native helper agree on, mirrored from {@code src/main/c/protocol.h}
 * (HelperProtocolTest fails when the two disagree).
 */
final class HelperProtocol {
  /**
   * Reads a line the helper writes on stdout (a spare's "ready") up to its newline, byte by byte,
   * so that nothing after it (the claimed container's output, on the same stream) is taken from
   * the reader that follows. A start's status line has a pipe of its own ({@link StatusPipe}).
   *
   * @return the line without its newline; what arrived when the stream ended or failed first
   */
  static String readStatusLine(java.io.InputStream in) {
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    try {
      for (int b; (b = in.read()) != -1 && b != '\n'; ) buf.write(b);
    } catch (java.io.IOException e) {
      // the status then is whatever arrived; callers report a short or empty one
    }
    return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** First word of the helper's status line. */
  static final String STATUS_MAGIC = "BERTH1";
  /** The config format version this library writes (see src/main/c/CONFIG.md). */
  static final int CONFIG_VERSION = 1;
  /** Second word of the status line of a file system job that succeeded. */
  static final String STATUS_DONE = "done";
  /** Second word of the line a spare helper (--spare) writes once it is ready to be claimed. */
  static final String STATUS_READY = "ready";

  /** The monitor's control socket in the state dir, and its two answers. */
  static final String CTL_SOCKET = "ctl.sock";
  static final String CTL_OK = "ok";
  static final String CTL_ERROR = "error";

  static final int EXIT_SETUP_FAILED = 125;
  static final int EXIT_CANNOT_INVOKE = 126;
  static final int EXIT_NOT_FOUND = 127;

  /** The stage a container start failed in, with the helper's number and word for it. */
  enum Stage {
    CONFIG(1, "config"),
    SPAWN(2, "spawn"),
    USERNS(3, "userns"),
    SYNC(4, "sync"),
    ROOTFS(5, "rootfs"),
    MOUNT(6, "mount"),
    PIVOT(7, "pivot"),
    HOSTNAME(8, "hostname"),
    CREDS(9, "creds"),
    CWD(10, "cwd"),
    EXEC(11, "exec"),
    MONITOR(12, "monitor"),
    TTY(13, "tty"),
    JOIN(14, "join"),
    NETWORK(15, "network"),
    SECCOMP(16, "seccomp"),
    CGROUP(17, "cgroup"),
    FSJOB(18, "fsjob");

    final int number;
    final String word;

    Stage(int number, String word) {
      this.number = number;
      this.word = word;
    }
  }

  private HelperProtocol() {}
}
