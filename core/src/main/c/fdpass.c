/*
 * Passing fds over a unix socket (SCM_RIGHTS) along with a few bytes: the sync socket sends a
 * terminal's primary with a frame head, the port proxy's socket factory sockets with one byte,
 * a spare helper hands its zygote the new container's pipe ends.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "fdpass.h"

/* Sends len bytes of buf and the n fds with them (n up to FD_PASS_MAX); returns what sendmsg returns. */
ssize_t fd_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t n) {
  struct iovec iov = {(void *)buf, len};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int) * FD_PASS_MAX)];
  } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
  if (n > FD_PASS_MAX) return errno = EINVAL, -1;
  if (n > 0) {
    memset(&u, 0, sizeof u);
    m.msg_control = u.buf;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
  }
  ssize_t r;
  while ((r = sendmsg(sock, &m, MSG_NOSIGNAL)) < 0 && errno == EINTR) {}
  return r;
}

/*
 * Receives up to len bytes into buf and up to cap fds sent with them (close-on-exec) into fds;
 * *n says how many came. Returns what recvmsg returns: the byte count, 0 at end-of-file, or -1.
 */
ssize_t fd_recv_fds(int sock, void *buf, size_t len, int *fds, size_t cap, size_t *n) {
  struct iovec iov = {buf, len};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int) * FD_PASS_MAX)];
  } u;
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  ssize_t r;
  *n = 0;
  while ((r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
  struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&m) : NULL;
  if (c != NULL && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
    size_t got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    int all[FD_PASS_MAX];
    memcpy(all, CMSG_DATA(c), sizeof(int) * got);
    for (size_t i = 0; i < got; i++) {
      if (i < cap) fds[(*n)++] = all[i];
      else close(all[i]); /* more than the caller takes: not leaked */
    }
  }
  return r;
}

/* Sends len bytes of buf, and fd with them unless fd < 0. */
ssize_t fd_send(int sock, const void *buf, size_t len, int fd) {
  return fd_send_fds(sock, buf, len, &fd, fd >= 0 ? 1 : 0);
}

/* Receives up to len bytes into buf; an fd sent with them lands in *fd, else *fd is -1. */
ssize_t fd_recv(int sock, void *buf, size_t len, int *fd) {
  size_t n;
  *fd = -1;
  return fd_recv_fds(sock, buf, len, fd, 1, &n);
}
