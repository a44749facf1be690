/* cgroup.c: the container's cgroups: joining, OOM kills, removing. */
#ifndef BERTH_CGROUP_H
#define BERTH_CGROUP_H

#include "config.h"

enum { CGROUP_V1 = 1, CGROUP_V2 = 2 };
int cgroup_open_unified(const config_t *c);
int cgroup_join(const config_t *c, pid_t pid, int which, berr_t *e);
int cgroup_join_dirs(char *const *dirs, size_t n, pid_t pid, berr_t *e);
int cgroup_oom_killed(const config_t *c);
int cgroup_remove(const config_t *c);
int cgroup_remove_dirs(char *const *dirs, size_t n);

#endif
