/* nsenter.c: exec mode: a process inside a running container's namespaces. */
#ifndef BERTH_NSENTER_H
#define BERTH_NSENTER_H

#include "config.h"

pid_t nsenter_spawn(const config_t *c, int sync_child, int sync_parent, berr_t *e);

#endif
