/*
 * The monitor's control socket: a unix stream socket ctl.sock in the state dir (mode 0600).
 * A client connects, writes one command line and reads one answer line, then the monitor
 * closes the connection:
 *   resize ROWS COLS   set the terminal's window size (the process gets SIGWINCH)
 *   signal N           send signal N to the container's (or exec'd) process
 * answered "ok" or "error <message>". One command per connection keeps the monitor free of
 * per-client state; a client that sends nothing is dropped after CTL_TIMEOUT_MS.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <poll.h>

#include "ctl.h"
#include "config.h"
#include "loop.h"
#include "pty.h"

#define CTL_TIMEOUT_MS 1000
#define CTL_LINE_MAX 256

static struct {
  int listen;
  pid_t pid;
  int primary; /* the terminal's primary, or -1 without a terminal */
} ctl = {-1, 0, -1};

static int ctl_number(const char *word, const char *what, unsigned long max, unsigned long *out, berr_t *e) {
  if (word == NULL || parse_number(word, max, out) < 0 || *out == 0) {
    return berr_set(e, STAGE_MONITOR, 0, "%s must be a number from 1 to %lu", what, max);
  }
  return 0;
}

/* Parses one command line (without its newline). Pure, unit tested. */
int ctl_parse(const char *line, struct ctl_cmd *cmd, berr_t *e) {
  char buf[CTL_LINE_MAX], *save = NULL;
  snprintf(buf, sizeof buf, "%s", line);
  char *verb = strtok_r(buf, " ", &save), *a = strtok_r(NULL, " ", &save), *b = strtok_r(NULL, " ", &save);
  int resize = verb != NULL && strcmp(verb, "resize") == 0;
  int sig = verb != NULL && strcmp(verb, "signal") == 0;
  if ((!resize && !sig) || strtok_r(NULL, " ", &save) != NULL || (sig && b != NULL)) {
    return berr_set(e, STAGE_MONITOR, 0, "unknown command \"%s\"; use \"resize ROWS COLS\" or \"signal N\"", line);
  }
  cmd->op = resize ? CTL_RESIZE : CTL_SIGNAL;
  cmd->b = 0;
  if (resize) return ctl_number(a, "rows", 65535, &cmd->a, e) < 0 ? -1 : ctl_number(b, "cols", 65535, &cmd->b, e);
  return ctl_number(a, "signal", NSIG - 1, &cmd->a, e);
}

static int ctl_run(const char *line, berr_t *e) {
  struct ctl_cmd cmd;
  if (ctl_parse(line, &cmd, e) < 0) return -1;
  if (cmd.op == CTL_SIGNAL) {
    if (kill(ctl.pid, (int)cmd.a) < 0) return berr_set(e, STAGE_MONITOR, errno, "signal %lu to %d", cmd.a, ctl.pid);
    return 0;
  }
  if (ctl.primary < 0) return berr_set(e, STAGE_TTY, 0, "resize: the process has no terminal (start it with a tty)");
  return pty_resize(ctl.primary, (unsigned short)cmd.a, (unsigned short)cmd.b, e);
}

static void ctl_accept(void *unused, int fd, short revents) {
  (void)revents, (void)unused;
  AUTO_FD int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) return;
  struct timeval tv = {CTL_TIMEOUT_MS / 1000, (CTL_TIMEOUT_MS % 1000) * 1000};
  setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char line[CTL_LINE_MAX], reply[sizeof ((berr_t *)0)->msg + 16];
  size_t len = 0;
  for (ssize_t r; len < sizeof line - 1 && (len == 0 || line[len - 1] != '\n');) {
    r = read(conn, line + len, sizeof line - 1 - len);
    if (r <= 0) return; /* gone, or silent past the timeout */
    len += (size_t)r;
  }
  line[len] = '\0';
  line[strcspn(line, "\r\n")] = '\0';
  berr_t e;
  int n = ctl_run(line, &e) == 0 ? snprintf(reply, sizeof reply, "%s\n", BERTH_CTL_OK)
                                 : snprintf(reply, sizeof reply, "%s %s\n", BERTH_CTL_ERROR, e.msg);
  (void)!send(conn, reply, (size_t)n < sizeof reply ? (size_t)n : sizeof reply - 1, MSG_NOSIGNAL);
}

/*
 * Listens on dir/ctl.sock for the process pid (and its terminal's primary, or -1). The monitor
 * moves into dir and binds the short relative name: a socket path may have only 107 bytes, and
 * a state dir can be longer (clients then connect through /proc/<monitor pid>/cwd/ctl.sock).
 */
int ctl_listen(const char *dir, pid_t pid, int primary, berr_t *e) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", BERTH_CTL_SOCKET);
  if (chdir(dir) < 0) return berr_set(e, STAGE_MONITOR, errno, "chdir to %s for the control socket", dir);
  unlink(BERTH_CTL_SOCKET); /* left by an earlier run of the same container */
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || chmod(BERTH_CTL_SOCKET, 0600) < 0 ||
      listen(fd, 8) < 0) {
    int err = errno;
    if (fd >= 0) close(fd);
    return berr_set(e, STAGE_MONITOR, err, "listen on the control socket %s/%s", dir, BERTH_CTL_SOCKET);
  }
  ctl.listen = fd;
  ctl.pid = pid;
  ctl_set_primary(primary);
  if (loop_add(fd, POLLIN, ctl_accept, NULL) < 0) {
    ctl_close();
    return berr_set(e, STAGE_MONITOR, EMFILE, "watch the control socket: more than %d watched fds", LOOP_MAX);
  }
  return 0;
}

/* The terminal's primary, once there is one (-1: none): resize needs it. */
void ctl_set_primary(int primary) {
  /* its own copy: the relay closes the primary when the terminal hangs up */
  if (ctl.primary < 0 && primary >= 0) ctl.primary = fcntl(primary, F_DUPFD_CLOEXEC, 0);
}

/* Stops listening and removes the socket file. */
void ctl_close(void) {
  if (ctl.listen < 0) return;
  loop_del(ctl.listen);
  close(ctl.listen);
  unlink(BERTH_CTL_SOCKET); /* the monitor is still in the state dir */
  if (ctl.primary >= 0) close(ctl.primary);
  ctl.listen = ctl.primary = -1;
}
