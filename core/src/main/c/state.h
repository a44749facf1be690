/* state.c: state.json in the state dir. */
#ifndef BERTH_STATE_H
#define BERTH_STATE_H

#include "berth.h"

int state_write(const char *dir, const char *status, pid_t pid, const char *started, const char *finished,
                int exit_code, int oom_killed, berr_t *e);
int state_record_exit(const char *dir, pid_t pid, const char *started, int exit_code, int oom_killed, int logfd);

#endif
