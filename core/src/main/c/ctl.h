/* ctl.c: the monitor's control socket (resize, signal). */
#ifndef BERTH_CTL_H
#define BERTH_CTL_H

#include "berth.h"

enum ctl_op { CTL_RESIZE = 1, CTL_SIGNAL };
struct ctl_cmd {
  enum ctl_op op;
  unsigned long a, b;
};
int ctl_parse(const char *line, struct ctl_cmd *cmd, berr_t *e);
int ctl_listen(const char *dir, pid_t pid, int master, berr_t *e);
void ctl_set_primary(int primary);
void ctl_close(void);

#endif
