/* The error struct every fallible function fills, and how errors leave the helper. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "berth.h"

int berr_set(berr_t *e, int stage, int err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
  va_end(ap);
  e->stage = stage;
  e->err = err;
  /* append the system's words for errno, like "mount /proc: permission denied" */
  if (err != 0 && n >= 0 && (size_t)n < sizeof e->msg) {
    snprintf(e->msg + n, sizeof e->msg - n, ": %s", strerror(err));
  }
  return -1;
}

const char *stage_word(int stage) {
#define STAGE_WORD(name, num, word) \
  case num:                         \
    return word;
  switch (stage) { BERTH_STAGES(STAGE_WORD) }
#undef STAGE_WORD
  return "unknown";
}

/* Docker's convention: 127 not found, 126 found but not runnable, 125 anything else. */
int berr_exit_code(const berr_t *e) {
  if (e->stage != STAGE_EXEC) return BERTH_EXIT_SETUP_FAILED;
  return e->err == ENOENT ? BERTH_EXIT_NOT_FOUND : BERTH_EXIT_CANNOT_INVOKE;
}

/* "BERTH1 error <stage> <errno> <message>\n"; the message is made one line. */
void berr_status_line(const berr_t *e, int fd) {
  char line[sizeof e->msg + 64];
  int n = snprintf(line, sizeof line, "%s error %s %d %s\n", BERTH_STATUS_MAGIC,
                   stage_word(e->stage), e->err, e->msg);
  if (n < 0) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  for (int i = 0; i < n - 1; i++) {
    if (line[i] == '\n' || line[i] == '\r') line[i] = ' ';
  }
  (void)!write(fd, line, n);
}

void cleanup_fd(int *fd) {
  if (*fd >= 0) close(*fd);
}

void cleanup_free(void *p) { free(*(void **)p); }
