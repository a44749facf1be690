/* seccomp.c: reading and installing the seccomp filter. */
#ifndef BERTH_SECCOMP_H
#define BERTH_SECCOMP_H

#include "config.h"

int seccomp_load(struct process_conf *p, berr_t *e);
int seccomp_install(const struct process_conf *p, berr_t *e);

#endif
