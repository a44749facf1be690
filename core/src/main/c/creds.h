/* creds.c: rlimits, ids, capabilities and closing fds before exec. */
#ifndef BERTH_CREDS_H
#define BERTH_CREDS_H

#include "config.h"

int creds_apply(const struct process_conf *p, berr_t *e);
int creds_close_fds(berr_t *e);
int creds_inherit(config_t *c, berr_t *e);
uint64_t creds_default_caps(void);

#endif
