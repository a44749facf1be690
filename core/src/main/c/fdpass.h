/* fdpass.c: passing file descriptors over unix sockets (SCM_RIGHTS). */
#ifndef BERTH_FDPASS_H
#define BERTH_FDPASS_H

#include <sys/types.h>
#include "berth.h"

#define FD_PASS_MAX 8
ssize_t fd_send(int sock, const void *buf, size_t len, int fd);
ssize_t fd_recv(int sock, void *buf, size_t len, int *fd);
ssize_t fd_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t n);
ssize_t fd_recv_fds(int sock, void *buf, size_t len, int *fds, size_t cap, size_t *n);

#endif
