/*
 * Terminals (tty 1). After pivot_root (or, for exec, after joining the mount namespace) the
 * child opens /dev/ptmx, which is the container's own devpts instance, so the terminal is
 * /dev/pts/N of the container, as with runc's console socket. The replica becomes the
 * controlling terminal (the child already called setsid) and fds 0-2; the primary goes to the
 * monitor over the sync socket with SCM_RIGHTS, and the monitor relays it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "pty.h"
#include "config.h"
#include "sync.h"

/* The replica of primary: TIOCGPTPEER needs no path lookup (Linux 4.13); else by its number. */
static int open_replica(int primary) {
  int fd = ioctl(primary, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd >= 0 || (errno != EINVAL && errno != ENOTTY)) return fd;
  unsigned int n;
  char path[32];
  if (ioctl(primary, TIOCGPTN, &n) < 0) return -1;
  snprintf(path, sizeof path, "/dev/pts/%u", n);
  return open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
}

int pty_resize(int primary, unsigned short rows, unsigned short cols, berr_t *e) {
  struct winsize ws = {.ws_row = rows, .ws_col = cols};
  /* the kernel sends SIGWINCH to the terminal's foreground process group */
  if (ioctl(primary, TIOCSWINSZ, &ws) < 0) return berr_set(e, STAGE_TTY, errno, "set the window size %ux%u", rows, cols);
  return 0;
}

/* A second fd on the primary (the monitor's *in): the container's stdin is written to it. */
int pty_dup_primary(int primary, int *in, berr_t *e) {
  *in = fcntl(primary, F_DUPFD_CLOEXEC, 0);
  if (*in < 0) return berr_set(e, STAGE_TTY, errno, "duplicate the terminal's primary for stdin");
  return 0;
}

int pty_setup(const struct process_conf *p, int sync, berr_t *e) {
  if (!p->tty) return 0;
  AUTO_FD int primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (primary < 0) return berr_set(e, STAGE_TTY, errno, "open /dev/ptmx in the container");
  int unlock = 0;
  if (ioctl(primary, TIOCSPTLCK, &unlock) < 0) return berr_set(e, STAGE_TTY, errno, "unlock the terminal");
  AUTO_FD int replica = open_replica(primary);
  if (replica < 0) return berr_set(e, STAGE_TTY, errno, "open the terminal's replica in /dev/pts");
  if ((p->tty_rows != 0 || p->tty_cols != 0) && pty_resize(primary, p->tty_rows, p->tty_cols, e) < 0) return -1;
  if (ioctl(replica, TIOCSCTTY, 0) < 0) return berr_set(e, STAGE_TTY, errno, "make the terminal the controlling one");
  for (int fd = 0; fd <= 2; fd++) {
    if (dup2(replica, fd) < 0) return berr_set(e, STAGE_TTY, errno, "make the terminal fd %d", fd);
  }
  return sync_send_fd(sync, primary, e);
}
