/*
 * The sync socket between the monitor and the container's first process. The child reports
 * a setup failure as one frame [stage][errno][length][message]; the socket is close-on-exec,
 * so end-of-file without a frame means the exec succeeded.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "berth.h"

struct frame_head {
  int32_t stage;
  int32_t err;
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
  struct frame_head h = {e->stage, e->err, (uint32_t)strnlen(e->msg, sizeof e->msg)};
  if (write_all(fd, &h, sizeof h) < 0) return -1;
  return write_all(fd, e->msg, h.len);
}

/* 0: the child exec'd (end-of-file); 1: e holds the child's error; -1: e holds ours. */
int sync_recv(int fd, berr_t *e) {
  struct frame_head h;
  ssize_t n = read_full(fd, &h, sizeof h);
  if (n == 0) return 0;
  if (n != (ssize_t)sizeof h || h.len >= sizeof e->msg) {
    return berr_set(e, STAGE_SYNC, n < 0 ? errno : 0, "reading the child's status frame");
  }
  if (read_full(fd, e->msg, h.len) != (ssize_t)h.len) {
    return berr_set(e, STAGE_SYNC, errno, "reading the child's error message");
  }
  e->msg[h.len] = '\0';
  e->stage = h.stage;
  e->err = h.err;
  return 1;
}

int sync_send_go(int fd, berr_t *e) {
  if (write_all(fd, "g", 1) < 0) return berr_set(e, STAGE_SYNC, errno, "telling the child to go");
  return 0;
}

int sync_wait_go(int fd, berr_t *e) {
  char c;
  if (read_full(fd, &c, 1) != 1 || c != 'g') {
    return berr_set(e, STAGE_SYNC, errno, "waiting for the monitor's go");
  }
  return 0;
}
