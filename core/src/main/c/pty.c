/*
 * Terminals (not done yet). The plan: with tty 1 the child opens a pty pair from the
 * container's /dev/pts after mounting it, makes the replica its controlling terminal
 * (setsid + TIOCSCTTY) on fds 0-2, and sends the primary to the monitor over the sync
 * socket with SCM_RIGHTS; the monitor then relays the primary instead of the pipes.
 */
#include <errno.h>

#include "berth.h"

int pty_setup(const config_t *c, berr_t *e) {
  if (!c->tty) return 0;
  return berr_set(e, STAGE_TTY, ENOSYS, "a terminal (tty) is not supported yet; run without one");
}
