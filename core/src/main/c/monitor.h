/* monitor.c: relaying output, stdin and signals until the process exits. */
#ifndef BERTH_MONITOR_H
#define BERTH_MONITOR_H

#include "config.h"

int remove_tree(const char *path);
int monitor_run(const config_t *c, pid_t pid, const char *started, int out, int err, int in, int sigfd,
                int logfd);

#endif
