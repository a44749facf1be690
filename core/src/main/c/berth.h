/*
 * What every file of the berth helper shares: the stages, the error struct every fallible
 * function fills (error.c), and the cleanup helpers. Each other .c has a header of its own.
 */
#ifndef BERTH_H
#define BERTH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include "protocol.h"

#define STAGE_ENUM(name, num, word) name = num,
enum stage { BERTH_STAGES(STAGE_ENUM) };
#undef STAGE_ENUM

/* Every fallible function returns int (-1 on failure) and fills one of these. */
typedef struct {
  int stage;
  int err; /* errno, or 0 when the failure is not a system call's */
  char msg[1024];
} berr_t;

/* error.c */
int berr_set(berr_t *e, int stage, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *stage_word(int stage);
int berr_exit_code(const berr_t *e);
void berr_status_line(const berr_t *e, int fd);

/* cleanup helpers: the variable is released when it goes out of scope */
void cleanup_fd(int *fd);
void cleanup_free(void *p);
#define AUTO_FD __attribute__((cleanup(cleanup_fd)))
#define AUTO_FREE __attribute__((cleanup(cleanup_free)))

#endif
