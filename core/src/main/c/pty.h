/* pty.c: the container's terminal from its own devpts. */
#ifndef BERTH_PTY_H
#define BERTH_PTY_H

#include "config.h"

int pty_setup(const struct process_conf *p, int sync, berr_t *e);
int pty_resize(int master, unsigned short rows, unsigned short cols, berr_t *e);
int pty_dup_primary(int primary, int *in, berr_t *e);

#endif
