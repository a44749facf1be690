/* spare.c: a helper started ahead of its container, with a zygote already in the v1 cgroups. */
#ifndef BERTH_SPARE_H
#define BERTH_SPARE_H

#include "config.h"
#include "net.h"

/* The container's end of its streams and of the sync socket, and the monitor's. */
struct fds {
  int sync[2];               /* [0] monitor, [1] child */
  int out[2], err[2], in[2]; /* pipes: [0] read end, [1] write end */
};
/* The container's first process (main.c): sets up, execs; never returns. */
typedef void (*child_fn)(const config_t *c, const struct fds *f);

struct spare {
  pid_t zygote;
  int sock;
  char **dirs; /* the spare's v1 cgroup dirs (argv) */
  size_t ndirs;
  struct slirp_ahead slirp; /* started ahead for a private network (net_slirp_ahead), or none */
};
int spare_start(char **dirs, size_t ndirs, child_fn child, struct spare *z, berr_t *e);
int spare_await_claim(struct spare *z, char *status, char *path, size_t cap, berr_t *e);
void spare_discard(struct spare *z);
pid_t spare_clone(struct spare *z, const config_t *c, const char *config_path, const struct fds *f, berr_t *e);
void spare_reap(struct spare *z);

#endif
