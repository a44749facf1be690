/*
 * Placing the container in its cgroups (created and limited by the JVM, see
 * dev.berth.internal.cgroup) and, at the exit, telling whether the kernel OOM-killed it and
 * removing the emptied cgroups, so a container outliving its JVM leaves none behind.
 *
 * The v2 directory is entered at clone (ns_clone_into); the v1 ones by writing the tasks file
 * (see join_one), unless a spare helper's zygote sat in them already (spare.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/vfs.h>

#include "cgroup.h"
#include "config.h"

#define CGROUP2_MAGIC 0x63677270

static int is_unified(const char *dir) {
  struct statfs st;
  return statfs(dir, &st) == 0 && st.f_type == CGROUP2_MAGIC;
}

/* The config's cgroup2 directory, opened for clone3's CLONE_INTO_CGROUP; -1 when it has none. */
int cgroup_open_unified(const config_t *c) {
  for (size_t i = 0; i < c->run.ncgroups; i++) {
    if (is_unified(c->run.cgroups[i])) return open(c->run.cgroups[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  return -1;
}

/*
 * Moves pid, a single-threaded process that has run nothing of the container yet (the zygote, or
 * the child before "go"), into dir, of a v1 hierarchy when v1 (the caller knows: no statfs
 * twice). On v1 through the dir's tasks file, as the one thread it is: a write to cgroup.procs
 * moves a thread group, for which the kernel takes its global threadgroup lock for writing and
 * may wait for an RCU grace period, stalling every fork on the host meanwhile (five writes, one
 * per v1 hierarchy: p90 8.9 ms here, against 0.19 ms through tasks). cgroup.procs where tasks
 * cannot be opened (a delegated dir may offer only that). Our own pid is written as 0, the caller
 * itself, which needs the least locking.
 */
static int join_one(const char *dir, int v1, pid_t pid, berr_t *e) {
  char path[4096], num[24];
  int n = snprintf(num, sizeof num, "%d\n", pid == getpid() ? 0 : pid);
  snprintf(path, sizeof path, "%s/%s", dir, v1 ? "tasks" : "cgroup.procs");
  AUTO_FD int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0 && v1) {
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    fd = open(path, O_WRONLY | O_CLOEXEC);
  }
  if (fd < 0 || write(fd, num, (size_t)n) != n) return berr_set(e, STAGE_CGROUP, errno, "join the cgroup %s", dir);
  return 0;
}

/* Moves pid into each of dirs. */
int cgroup_join_dirs(char *const *dirs, size_t n, pid_t pid, berr_t *e) {
  for (size_t i = 0; i < n; i++) {
    if (join_one(dirs[i], !is_unified(dirs[i]), pid, e) < 0) return -1;
  }
  return 0;
}

/*
 * Moves the child, which still waits for "go" (nothing has run in it yet), into the config's
 * cgroups of the hierarchies in `which` (CGROUP_V1, CGROUP_V2).
 */
int cgroup_join(const config_t *c, pid_t pid, int which, berr_t *e) {
  for (size_t i = 0; i < c->run.ncgroups; i++) {
    int v = is_unified(c->run.cgroups[i]) ? CGROUP_V2 : CGROUP_V1;
    if ((which & v) && join_one(c->run.cgroups[i], v == CGROUP_V1, pid, e) < 0) return -1;
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
  for (size_t i = 0; i < c->run.ncgroups; i++) {
    if (oom_count(c->run.cgroups[i], "memory.events") || oom_count(c->run.cgroups[i], "memory.oom_control")) {
      return 1;
    }
  }
  return 0;
}

/*
 * rmdir each cgroup; the kernel may need a moment after the last process is reaped. Returns how
 * many are still there (busy after half a second, or refused).
 */
int cgroup_remove_dirs(char *const *dirs, size_t n) {
  struct timespec pause = {0, 5 * 1000 * 1000};
  int left = 0;
  for (size_t i = 0; i < n; i++) {
    int r;
    for (int tries = 0; (r = rmdir(dirs[i])) < 0 && errno == EBUSY && tries < 100; tries++) {
      nanosleep(&pause, NULL);
    }
    if (r < 0 && errno != ENOENT) left++;
  }
  return left;
}

int cgroup_remove(const config_t *c) {
  return cgroup_remove_dirs(c->run.cgroups, c->run.ncgroups);
}
