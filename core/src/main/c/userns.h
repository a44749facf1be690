/* userns.c: a user namespace's id maps, through newuidmap or written as root. */
#ifndef BERTH_USERNS_H
#define BERTH_USERNS_H

#include "config.h"

int userns_write_maps(pid_t pid, const config_t *c, berr_t *e);
long userns_to_inside(const struct idmap_rec *maps, size_t n, unsigned long outside);

#endif
