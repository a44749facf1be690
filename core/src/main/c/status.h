/*
 * status.c: the status lines to the JVM. They go to the pipe the JVM named with --status (a
 * FIFO, as runc's init pipe), so stdout carries only the container's bytes; without --status
 * (a spare's "ready", a person running the helper by hand), to stdout.
 */
#ifndef BERTH_STATUS_H
#define BERTH_STATUS_H

#include "berth.h"

int status_open(const char *path, berr_t *e);
void status_started(pid_t pid);
void status_word(const char *word);
void status_error(const berr_t *e);
void status_close(void);

#endif
