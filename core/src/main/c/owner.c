/*
 * The owner watch: a container started with owner_pid is killed, and its directory removed,
 * when that process (the JVM holding a test fixture) ends, however it ends. No helper container
 * (Testcontainers' Ryuk) and no JVM shutdown hook, which SIGKILL would skip: the monitor holds a
 * pidfd of the owner in its loop, and a pidfd becomes readable when its process exits.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "owner.h"
#include "config.h"
#include "loop.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* the same number on every architecture */
#endif

static struct {
  pid_t container;
  int gone;
} owner;

/* The monitor reaps the container as for any exit; main then removes the directory. */
static void owner_ended(void) {
  owner.gone = 1;
  kill(owner.container, SIGKILL);
}

static void on_owner_exit(void *ctx, int fd, short revents) {
  (void)ctx, (void)revents;
  loop_del(fd);
  close(fd);
  owner_ended();
}

int owner_watch(const config_t *c, pid_t container, berr_t *e) {
  if (c->owner_pid == 0) return 0;
  owner.container = container;
  int fd = (int)syscall(SYS_pidfd_open, c->owner_pid, 0); /* close-on-exec by definition */
  if (fd < 0 && errno == ESRCH) { /* it ended before we looked */
    owner_ended();
    return 0;
  }
  if (fd < 0) {
    return berr_set(e, STAGE_MONITOR, errno,
                    "watch owner process %d (pidfd_open needs Linux 5.3 or later)", c->owner_pid);
  }
  if (loop_add(fd, POLLIN, on_owner_exit, NULL) < 0) {
    close(fd);
    return berr_set(e, STAGE_MONITOR, EMFILE, "watch owner process %d: more than %d watched fds",
                    c->owner_pid, LOOP_MAX);
  }
  return 0;
}

int owner_gone(void) {
  return owner.gone;
}
