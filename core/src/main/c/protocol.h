/*
 * Numbers and words shared by the helper and the Java side (dev.berth.internal.runtime).
 * HelperProtocolTest parses this file and fails when the Java constants disagree,
 * so change both sides together.
 */
#ifndef BERTH_PROTOCOL_H
#define BERTH_PROTOCOL_H

/* First word of the status line the helper writes on stdout. */
#define BERTH_STATUS_MAGIC "BERTH1"
/* The only config format version this helper reads (see CONFIG.md). */
#define BERTH_CONFIG_VERSION 1

/*
 * The monitor's control socket, in the state dir: one command line per connection
 * ("resize ROWS COLS", "signal N"), answered "ok" or "error <message>" (see CONFIG.md).
 */
#define BERTH_CTL_SOCKET "ctl.sock"
#define BERTH_CTL_OK "ok"
#define BERTH_CTL_ERROR "error"
/* Second word of the status line of a file system job (job.root) that succeeded. */
#define BERTH_STATUS_DONE "done"
/* Second word of the line a spare helper (--spare) writes once its zygote sits in its cgroups. */
#define BERTH_STATUS_READY "ready"

/* Exit codes, as Docker uses them. */
#define BERTH_EXIT_SETUP_FAILED 125
#define BERTH_EXIT_CANNOT_INVOKE 126
#define BERTH_EXIT_NOT_FOUND 127

/* X(ENUM, number, "word"): the stage a start failure happened in. */
#define BERTH_STAGES(X)             \
  X(STAGE_CONFIG, 1, "config")     \
  X(STAGE_SPAWN, 2, "spawn")       \
  X(STAGE_USERNS, 3, "userns")     \
  X(STAGE_SYNC, 4, "sync")         \
  X(STAGE_ROOTFS, 5, "rootfs")     \
  X(STAGE_MOUNT, 6, "mount")       \
  X(STAGE_PIVOT, 7, "pivot")       \
  X(STAGE_HOSTNAME, 8, "hostname") \
  X(STAGE_CREDS, 9, "creds")       \
  X(STAGE_CWD, 10, "cwd")          \
  X(STAGE_EXEC, 11, "exec")        \
  X(STAGE_MONITOR, 12, "monitor")  \
  X(STAGE_TTY, 13, "tty")          \
  X(STAGE_JOIN, 14, "join")        \
  X(STAGE_NETWORK, 15, "network")  \
  X(STAGE_SECCOMP, 16, "seccomp")  \
  X(STAGE_CGROUP, 17, "cgroup")    \
  X(STAGE_FSJOB, 18, "fsjob")

#endif
