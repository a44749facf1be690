/*
 * Joining the container's cgroups (created and limited by the JVM, see dev.berth.internal.cgroup)
 * and, at the exit, telling whether the kernel OOM-killed it and removing the emptied cgroups,
 * so a container outliving its JVM leaves none behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "berth.h"

/* The monitor moves the child in while it still waits for "go": nothing has run in it yet. */
int cgroup_join(const config_t *c, pid_t pid, berr_t *e) {
  char path[4096], num[24];
  int n = snprintf(num, sizeof num, "%d\n", pid);
  for (size_t i = 0; i < c->ncgroups; i++) {
    snprintf(path, sizeof path, "%s/cgroup.procs", c->cgroups[i]);
    AUTO_FD int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, num, (size_t)n) != n) {
      return berr_set(e, STAGE_CGROUP, errno, "join the cgroup %s", c->cgroups[i]);
    }
  }
  return 0;
}

/* A positive oom_kill count in memory.events (v2) or memory.oom_control (v1). */
static int oom_count(const char *dir, const char *file) {
  char path[4096], buf[1024];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  AUTO_FD int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char *k = strstr(buf, "oom_kill ");
  return k != NULL && atoi(k + 9) > 0;
}

int cgroup_oom_killed(const config_t *c) {
  for (size_t i = 0; i < c->ncgroups; i++) {
    if (oom_count(c->cgroups[i], "memory.events") || oom_count(c->cgroups[i], "memory.oom_control")) {
      return 1;
    }
  }
  return 0;
}

/* rmdir each cgroup; the kernel may need a moment after the last process is reaped. */
void cgroup_remove(const config_t *c) {
  struct timespec pause = {0, 5 * 1000 * 1000};
  for (size_t i = 0; i < c->ncgroups; i++) {
    for (int tries = 0; tries < 100 && rmdir(c->cgroups[i]) < 0 && errno == EBUSY; tries++) {
      nanosleep(&pause, NULL);
    }
  }
}
