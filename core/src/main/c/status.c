/* The status lines to the JVM (CONFIG.md, "What the helper says back"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "status.h"

static int status = STDOUT_FILENO;

/*
 * Opens the JVM's status pipe. O_RDWR: never blocks, whether or not the JVM has opened its end
 * yet (a FIFO opened for writing only would wait for a reader), and a JVM blocked opening its
 * end is let go. Not inherited by the container (O_CLOEXEC).
 */
int status_open(const char *path, berr_t *e) {
  int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) {
    int err = errno;
    if (fd >= 0) close(fd);
    return berr_set(e, STAGE_CONFIG, err, "open the status pipe %s", path);
  }
  if (!S_ISFIFO(st.st_mode)) {
    close(fd);
    return berr_set(e, STAGE_CONFIG, 0, "the status pipe %s is not a FIFO", path);
  }
  status = fd;
  return 0;
}

void status_started(pid_t pid) {
  dprintf(status, "%s started %d\n", BERTH_STATUS_MAGIC, pid);
}

void status_word(const char *word) {
  dprintf(status, "%s %s\n", BERTH_STATUS_MAGIC, word);
}

void status_error(const berr_t *e) {
  berr_status_line(e, status);
}

/* After the last status line: the pipe's end, when it is not stdout (which the monitor relays to). */
void status_close(void) {
  if (status != STDOUT_FILENO && status >= 0) close(status);
  status = -1;
}
