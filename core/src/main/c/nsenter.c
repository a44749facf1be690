/*
 * exec mode (target_pid): a new process inside a running container, as nsenter and runc's
 * nsexec do it. The monitor opens the target's namespace files first (after joining the mount
 * namespace, /proc would be the container's, and after joining the user namespace we might no
 * longer be allowed to open them), forks an intermediate process that joins them in order, user
 * first (it grants the capabilities to join the rest) and mount last, and forks again: joining a
 * pid namespace only places children in it. The intermediate reports the pid of that grandchild
 * and exits; the monitor is a child subreaper, so the grandchild becomes its child.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "nsenter.h"
#include "config.h"
#include "ns.h"
#include "sync.h"

static int same_file(int fd, const char *path) {
  struct stat a, b;
  return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static void close_all(int fds[NS_COUNT]) {
  for (size_t i = 0; i < NS_COUNT; i++) {
    if (fds[i] >= 0) close(fds[i]);
  }
}

/* Opens the target's namespaces that differ from ours (-1 for the shared ones). */
static int open_namespaces(pid_t target, int fds[NS_COUNT], berr_t *e) {
  char path[64];
  for (size_t i = 0; i < NS_COUNT; i++) fds[i] = -1;
  snprintf(path, sizeof path, "/proc/%d", target);
  /* the directory pins this process: if the pid is reused later, openat below fails */
  AUTO_FD int proc = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) {
    return berr_set(e, STAGE_JOIN, ESRCH, "the container's process %d is not running; start the container before exec",
                    target);
  }
  for (size_t i = 0; i < NS_COUNT; i++) {
    snprintf(path, sizeof path, "ns/%s", NS_KINDS[i].name);
    int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      int err = errno;
      close_all(fds);
      return berr_set(e, STAGE_JOIN, err, "open /proc/%d/%s (has the container's process exited?)", target, path);
    }
    snprintf(path, sizeof path, "/proc/self/ns/%s", NS_KINDS[i].name);
    if (same_file(fd, path)) close(fd); else fds[i] = fd;
  }
  return 0;
}

/* In NS_KINDS order: user first, mount last (see ns.c). */
static int join_namespaces(const int fds[NS_COUNT], berr_t *e) {
  for (size_t i = 0; i < NS_COUNT; i++) {
    if (fds[i] >= 0 && ns_enter(fds[i], NS_KINDS[i].flag, "of the container", STAGE_JOIN, e) < 0) return -1;
  }
  return 0;
}

/* The intermediate process: join, fork the process to exec, report its pid, exit. */
static pid_t intermediate(const int fds[NS_COUNT], int sync_child) {
  berr_t e;
  pid_t pid = -1;
  if (join_namespaces(fds, &e) == 0) {
    pid = fork();
    if (pid < 0) berr_set(&e, STAGE_JOIN, errno, "fork inside the container's namespaces");
  }
  if (pid == 0) return 0;
  if (pid > 0 && sync_send_pid(sync_child, pid, &e) == 0) _exit(0);
  if (pid < 0) sync_send_error(sync_child, &e);
  _exit(BERTH_EXIT_SETUP_FAILED);
}

/*
 * Like ns_clone for exec mode: returns 0 in the process that is to exec (in the container's
 * namespaces), its host pid in the monitor, or -1 with e filled (also with a child's error).
 */
pid_t nsenter_spawn(const config_t *c, int sync_child, int sync_parent, berr_t *e) {
  int fds[NS_COUNT];
  if (open_namespaces(c->exec.target_pid, fds, e) < 0) return -1;
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
    close_all(fds);
    return berr_set(e, STAGE_SPAWN, errno, "become a child subreaper");
  }
  pid_t mid = fork();
  if (mid == 0) return intermediate(fds, sync_child);
  close_all(fds);
  if (mid < 0) return berr_set(e, STAGE_SPAWN, errno, "fork");
  pid_t pid = -1;
  int r = sync_recv_pid(sync_parent, &pid, e);
  waitpid(mid, NULL, 0);
  return r == 0 ? pid : -1;
}
