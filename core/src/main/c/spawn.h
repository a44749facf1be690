/* spawn.c: running a host tool (newuidmap, ip, fuse-overlayfs) and waiting for it. */
#ifndef BERTH_SPAWN_H
#define BERTH_SPAWN_H

#include "berth.h"

int spawn_wait(char *const argv[], char *said, size_t cap, int stage, berr_t *e);
int spawn_wait_in(pid_t netns_of, char *const argv[], char *said, size_t cap, int stage, berr_t *e);

#endif
