/*
 * The sync socket between the monitor and the container's first process. The child reports
 * a setup failure as one frame [kind E][stage][errno][length][message]; the socket is
 * close-on-exec, so end-of-file without a frame means the exec succeeded. Before that it may
 * send a terminal's primary fd (kind F, the fd rides along as SCM_RIGHTS) and, in exec mode,
 * the intermediate process sends the pid of the process it forked (kind P, pid in value).
 */
#include <errno.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>

#include "sync.h"
#include "fdpass.h"

enum { FRAME_ERROR = 'E', FRAME_PID = 'P', FRAME_FD = 'F' };

struct frame_head {
  int32_t kind;
  int32_t stage;
  int32_t value; /* errno for E, pid for P */
  uint32_t len;
};

static int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads exactly n bytes; returns the count read before end-of-file, or -1. */
static ssize_t read_full(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

int sync_send_error(int fd, const berr_t *e) {
  struct frame_head h = {FRAME_ERROR, e->stage, e->err, (uint32_t)strnlen(e->msg, sizeof e->msg)};
  if (write_all(fd, &h, sizeof h) < 0) return -1;
  return write_all(fd, e->msg, h.len);
}

int sync_send_pid(int fd, pid_t pid, berr_t *e) {
  struct frame_head h = {FRAME_PID, 0, pid, 0};
  if (write_all(fd, &h, sizeof h) < 0) return berr_set(e, STAGE_SYNC, errno, "sending the exec'd pid");
  return 0;
}

int sync_send_fd(int fd, int passed, berr_t *e) {
  struct frame_head h = {FRAME_FD, 0, 0, 0};
  if (fd_send(fd, &h, sizeof h, passed) != (ssize_t)sizeof h) {
    return berr_set(e, STAGE_SYNC, errno, "sending the terminal to the monitor");
  }
  return 0;
}

/* Reads a frame head; an fd passed along with it lands in *passed (else -1). 0 at end-of-file. */
static ssize_t recv_head(int fd, struct frame_head *h, int *passed) {
  ssize_t n = fd_recv(fd, h, sizeof *h, passed);
  if (n <= 0) return n;
  if ((size_t)n == sizeof *h) return n;
  ssize_t rest = read_full(fd, (char *)h + n, sizeof *h - (size_t)n);
  return rest < 0 ? -1 : n + rest;
}

/*
 * Reads the next frame, which must be of kind want (0: none, only end-of-file or an error).
 * 0: got it (or end-of-file when want is 0); 1: e holds the child's error; -1: e holds ours.
 */
static int recv_frame(int fd, int want, int32_t *value, int *passed, berr_t *e) {
  struct frame_head h;
  ssize_t n = recv_head(fd, &h, passed);
  if (n == 0 && want == 0) return 0;
  if (n != (ssize_t)sizeof h || (h.kind != FRAME_ERROR && h.kind != want) || h.len >= sizeof e->msg) {
    if (*passed >= 0) close(*passed);
    return berr_set(e, STAGE_SYNC, n < 0 ? errno : 0, "reading the child's status frame");
  }
  if (h.kind == want) return *value = h.value, 0;
  if (read_full(fd, e->msg, h.len) != (ssize_t)h.len) {
    return berr_set(e, STAGE_SYNC, errno, "reading the child's error message");
  }
  e->msg[h.len] = '\0';
  e->stage = h.stage;
  e->err = h.value;
  return 1;
}

/* 0: the child exec'd (end-of-file); 1: e holds the child's error; -1: e holds ours. */
int sync_recv(int fd, berr_t *e) {
  int32_t unused;
  int passed;
  return recv_frame(fd, 0, &unused, &passed, e);
}

/* Like sync_recv, but first a pid frame is expected. */
int sync_recv_pid(int fd, pid_t *pid, berr_t *e) {
  int32_t v;
  int passed;
  int r = recv_frame(fd, FRAME_PID, &v, &passed, e);
  if (r == 0) *pid = v;
  return r;
}

/* Like sync_recv, but first a frame carrying an fd is expected; *passed is then ours to close. */
int sync_recv_fd(int fd, int *passed, berr_t *e) {
  int32_t unused;
  int r = recv_frame(fd, FRAME_FD, &unused, passed, e);
  if (r == 0 && *passed < 0) return berr_set(e, STAGE_SYNC, 0, "the child's terminal frame carried no fd");
  return r;
}

static int send_byte(int fd, char b, const char *what, berr_t *e) {
  if (write_all(fd, &b, 1) < 0) return berr_set(e, STAGE_SYNC, errno, "telling the child %s", what);
  return 0;
}

static int wait_byte(int fd, char b, const char *what, berr_t *e) {
  char c;
  if (read_full(fd, &c, 1) != 1 || c != b) return berr_set(e, STAGE_SYNC, errno, "waiting for the monitor's %s", what);
  return 0;
}

/* "go": ids mapped and cgroups joined, the child may set up its mounts. */
int sync_send_go(int fd, berr_t *e) {
  return send_byte(fd, 'g', "to go", e);
}

int sync_wait_go(int fd, berr_t *e) {
  return wait_byte(fd, 'g', "go", e);
}

/* "net": the network is up (slirp4netns, veth, port proxy), the child may exec. */
int sync_send_net(int fd, berr_t *e) {
  return send_byte(fd, 'n', "that the network is up", e);
}

int sync_wait_net(int fd, berr_t *e) {
  return wait_byte(fd, 'n', "network", e);
}

/* After a failure of ours while the child runs: its own error, when it sent one, explains more. */
int sync_child_failed(int fd, berr_t *e) {
  struct pollfd p = {fd, POLLIN, 0};
  berr_t child;
  if (poll(&p, 1, 0) != 1 || sync_recv(fd, &child) != 1) return 0;
  *e = child;
  return 1;
}
