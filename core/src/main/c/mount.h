/* mount.c: the container's root: overlay, /proc, /dev, /sys, masks, mounts, pivot_root. */
#ifndef BERTH_MOUNT_H
#define BERTH_MOUNT_H

#include "config.h"

int mount_container(const config_t *c, berr_t *e);
int mount_rootfs(const struct rootfs_conf *r, const char *target, berr_t *e);
int mount_open_in_root(int rootfd, const char *path, mode_t create, berr_t *e);
int mount_mask_paths(int rootfd, berr_t *e);

#endif
