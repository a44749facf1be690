/* net.c: the monitor wires the container's network: veths on bridges, slirp4netns (a spare's ahead). */
#ifndef BERTH_NET_H
#define BERTH_NET_H

#include <sys/types.h>

#include "config.h"

/* A slirp4netns a spare started ahead in its zygote's network namespace (net_slirp_ahead). */
struct slirp_ahead {
  pid_t pid;                /* -1: none */
  int ready, quit, log;     /* our ends of its ready and exit fds; its log, unnamed until claimed */
  char path[4096];          /* the slirp4netns it runs */
  dev_t netns_dev;          /* the network namespace it serves */
  ino_t netns_ino;
};
/* No slirp4netns started ahead. */
#define SLIRP_AHEAD_NONE ((struct slirp_ahead){.pid = -1, .ready = -1, .quit = -1, .log = -1})
void net_slirp_ahead(const char *slirp, const char *logdir, pid_t zygote, struct slirp_ahead *s);
void net_slirp_drop(struct slirp_ahead *s, int wait);
int net_slirp_serves(const struct slirp_ahead *s, const config_t *c);
/* ahead: a spare's slirp4netns (or NULL); taken when the container wants it, else ended. */
int net_setup(const config_t *c, pid_t pid, struct slirp_ahead *ahead, berr_t *e);
void net_port_holder(int type, unsigned int port, char *out, size_t cap);

#endif
