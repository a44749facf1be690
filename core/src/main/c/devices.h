/* devices.c: the host's devices in a privileged container's /dev. */
#ifndef BERTH_DEVICES_H
#define BERTH_DEVICES_H

#include "berth.h"

int devices_add_host(int devdir, int in_userns, berr_t *e);

#endif
