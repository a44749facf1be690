/* loop.c: fds the monitor polls besides its own streams (control socket, port proxy). */
#ifndef BERTH_LOOP_H
#define BERTH_LOOP_H

#include <poll.h>
#include "berth.h"

#define LOOP_MAX 1024
typedef void (*loop_fn)(void *ctx, int fd, short revents);
int loop_add(int fd, short events, loop_fn fn, void *ctx);
void loop_set(int fd, short events);
void loop_del(int fd);
size_t loop_fill(struct pollfd *p, size_t cap);
void loop_dispatch(const struct pollfd *p, size_t n);

#endif
