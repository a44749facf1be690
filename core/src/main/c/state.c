/*
 * state.json in the state dir: what the JVM reads for a container's status and exit code (see
 * CONFIG.md). Replaced atomically and durably: a temp file is written and fsynced, renamed over
 * the old one, and the dir fsynced, so a crash or a full disk leaves the old state or the new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "state.h"
#include "json.h"

/* All of body into a new file name in dirfd, on disk before it returns 0; errno says why not. */
static int write_synced(int dirfd, const char *name, const char *body, size_t n) {
  AUTO_FD int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  while (n > 0) { /* a short write is retried: the next one says why (ENOSPC) */
    ssize_t w = write(fd, body, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    body += w;
    n -= (size_t)w;
  }
  if (fsync(fd) < 0) return -1;
  int r = close(fd);
  fd = -1;
  return r;
}

int state_write(const char *dir, const char *status, pid_t pid, const char *started, const char *finished,
                int exit_code, int oom_killed, berr_t *e) {
  char tmp[64], body[512], fin[64] = "null", code[16] = "null";
  if (finished != NULL) {
    snprintf(fin, sizeof fin, "\"%s\"", finished);
    snprintf(code, sizeof code, "%d", exit_code);
  }
  int n = snprintf(body, sizeof body,
                   "{\"version\":1,\"status\":\"%s\",\"pid\":%d,\"monitorPid\":%d,"
                   "\"startedAt\":\"%s\",\"finishedAt\":%s,\"exitCode\":%s,\"oomKilled\":%s}\n",
                   status, pid, getpid(), started, fin, code, oom_killed ? "true" : "false");
  AUTO_FD int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) return berr_set(e, STAGE_MONITOR, errno, "open the state dir %s", dir);
  snprintf(tmp, sizeof tmp, ".state.json.%d", getpid());
  if (write_synced(dirfd, tmp, body, (size_t)n) < 0) {
    int err = errno;
    unlinkat(dirfd, tmp, 0);
    return berr_set(e, STAGE_MONITOR, err, "write %s/%s", dir, tmp);
  }
  if (renameat(dirfd, tmp, dirfd, "state.json") < 0) {
    int err = errno;
    unlinkat(dirfd, tmp, 0);
    return berr_set(e, STAGE_MONITOR, err, "rename %s/%s to state.json", dir, tmp);
  }
  if (fsync(dirfd) < 0) return berr_set(e, STAGE_MONITOR, errno, "fsync the state dir %s", dir);
  return 0;
}

/*
 * The monitor's last word. When the exit cannot be recorded the JVM finds the container gone
 * while "running" and reports exit code 255, so the failure is said where it can be found: on
 * stderr (the JVM's, when it relays) and in the container's log.
 */
int state_record_exit(const char *dir, pid_t pid, const char *started, int exit_code, int oom_killed, int logfd) {
  berr_t e;
  char finished[40], line[sizeof e.msg + 128];
  rfc3339nano(finished, sizeof finished);
  if (state_write(dir, "exited", pid, started, finished, exit_code, oom_killed, &e) == 0) return 0;
  int n = snprintf(line, sizeof line, "berth-helper: exit code %d of process %d not recorded: %s\n", exit_code,
                   pid, e.msg);
  if (n < 0) return -1;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  (void)!write(STDERR_FILENO, line, (size_t)n);
  json_log_line(logfd, "stderr", line, (size_t)n);
  return -1;
}
