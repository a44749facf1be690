/* net.c: the monitor wires the container's network: veths on bridges, slirp4netns. */
#ifndef BERTH_NET_H
#define BERTH_NET_H

#include "config.h"

int net_setup(const config_t *c, pid_t pid, berr_t *e);
void net_port_holder(int type, unsigned int port, char *out, size_t cap);

#endif
