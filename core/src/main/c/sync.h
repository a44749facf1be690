/* sync.c: the sync socket between the monitor and the container's first process (CONFIG.md). */
#ifndef BERTH_SYNC_H
#define BERTH_SYNC_H

#include "berth.h"

int sync_send_error(int fd, const berr_t *e);
int sync_send_pid(int fd, pid_t pid, berr_t *e);
int sync_send_fd(int fd, int passed, berr_t *e);
int sync_recv(int fd, berr_t *e);
int sync_recv_pid(int fd, pid_t *pid, berr_t *e);
int sync_recv_fd(int fd, int *passed, berr_t *e);
int sync_send_go(int fd, berr_t *e);
int sync_wait_go(int fd, berr_t *e);
int sync_send_net(int fd, berr_t *e);
int sync_wait_net(int fd, berr_t *e);
int sync_child_failed(int fd, berr_t *e);

#endif
