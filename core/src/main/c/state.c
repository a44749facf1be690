/*
 * state.json in the state dir: what the JVM reads for a container's status and exit code (see
 * CONFIG.md). Replaced atomically: a temp file is written whole and renamed over the old one, so
 * a killed monitor or a full disk leaves the old state or the new one. Not fsynced, as runc's
 * state.json is not: both writes sit on a start's and an exit's path (an fsync took 0.3 ms median,
 * 1 ms p90 here, four a run), and after a machine crash no container runs any more: the JVM reads
 * a state of another boot, or an empty file, as exited with code 255.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fs.h>

#include "state.h"
#include "json.h"

/* All of body into a new file name in dirfd; errno says why not. */
static int write_whole(int dirfd, const char *name, const char *body, size_t n) {
  AUTO_FD int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  while (n > 0) { /* a short write is retried: the next one says why (ENOSPC) */
    ssize_t w = write(fd, body, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    body += w;
    n -= (size_t)w;
  }
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
  if (write_whole(dirfd, tmp, body, (size_t)n) < 0) {
    int err = errno;
    unlinkat(dirfd, tmp, 0);
    return berr_set(e, STAGE_MONITOR, err, "write %s/%s", dir, tmp);
  }
  /* Over a state that exists, exchanged and the old one unlinked, not renamed over it: ext4
   * (auto_da_alloc) starts writing back a file renamed over another, and the removal of the
   * container that follows an exit then waits for that write (0.5 ms here). */
  if (syscall(SYS_renameat2, dirfd, tmp, dirfd, "state.json", RENAME_EXCHANGE) == 0) {
    unlinkat(dirfd, tmp, 0); /* now the old state; one a killed monitor leaves goes with the dir */
    return 0;
  }
  if ((errno == ENOENT || errno == EINVAL) && renameat(dirfd, tmp, dirfd, "state.json") == 0) return 0;
  int err = errno;
  unlinkat(dirfd, tmp, 0);
  return berr_set(e, STAGE_MONITOR, err, "rename %s/%s to state.json", dir, tmp);
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
