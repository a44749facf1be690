/* exec.c: the PATH lookup (Go's LookPath rules) and the execve of the container's process. */
#ifndef BERTH_EXEC_H
#define BERTH_EXEC_H

#include "config.h"

int path_search(const char *name, const char *path, int (*is_exec)(const char *), char *out,
                size_t cap);
int exec_is_executable(const char *path);
int exec_container(const struct process_conf *p, berr_t *e);

#endif
