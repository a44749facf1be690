/* proxy.c: published ports: listeners on the host relaying into the container's network. */
#ifndef BERTH_PROXY_H
#define BERTH_PROXY_H

#include "config.h"

int proxy_bind(const config_t *c, berr_t *e);
int proxy_start(const config_t *c, pid_t pid, berr_t *e);
void proxy_stop(void);

#endif
