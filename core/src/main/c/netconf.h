/* netconf.c: parsing and checking the net.* and publish keys. */
#ifndef BERTH_NETCONF_H
#define BERTH_NETCONF_H

#include "config.h"

int netconf_is_key(const char *key);
int netconf_parse(const char *key, char *v, config_t *c, berr_t *e);
int netconf_validate(const config_t *c, berr_t *e);

#endif
