/*
 * Passing an fd over a unix socket (SCM_RIGHTS) along with a few bytes: the sync socket sends a
 * terminal's primary with a frame head, the port proxy's socket factory sockets with one byte.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "berth.h"

/* Sends len bytes of buf, and fd with them unless fd < 0; returns what sendmsg returns. */
ssize_t fd_send(int sock, const void *buf, size_t len, int fd) {
  struct iovec iov = {(void *)buf, len};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
  if (fd >= 0) {
    memset(&u, 0, sizeof u);
    m.msg_control = u.buf;
    m.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  ssize_t r;
  while ((r = sendmsg(sock, &m, MSG_NOSIGNAL)) < 0 && errno == EINTR) {}
  return r;
}

/*
 * Receives up to len bytes into buf; an fd sent with them lands in *fd (close-on-exec), else
 * *fd is -1. Returns what recvmsg returns: the byte count, 0 at end-of-file, or -1.
 */
ssize_t fd_recv(int sock, void *buf, size_t len, int *fd) {
  struct iovec iov = {buf, len};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t r;
  *fd = -1;
  while ((r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&m) : NULL;
  if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(c), sizeof *fd);
  return r;
}
