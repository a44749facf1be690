/* fsjob.c: file system jobs (job.root): chown, remove, fill, hold a view, in a user namespace. */
#ifndef BERTH_FSJOB_H
#define BERTH_FSJOB_H

#include "config.h"

int fsjob_main(const config_t *c);
int fsjob_remove_tree(const config_t *c, const char *path, berr_t *e);
int fsjob_remove_one(int rootfd, const char *path, berr_t *e);

#endif
