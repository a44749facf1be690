/* owner.c: kill and remove the container when the owner process ends. */
#ifndef BERTH_OWNER_H
#define BERTH_OWNER_H

#include "config.h"

int owner_watch(const config_t *c, pid_t container, berr_t *e);
int owner_gone(void);

#endif
