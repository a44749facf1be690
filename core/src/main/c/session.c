/*
 * The helper's own session. It leaves the JVM's session and process group, so that a ^C at the
 * JVM's terminal or a kill of the JVM's process group does not reach the monitor (and through it
 * the container).
 */
#include <errno.h>

#include "session.h"

/*
 * setsid, unless this process leads its session already (a spare helper that was handed its
 * config). setsid fails only for a process group leader: the JVM starts the helper as a plain
 * child, so that means something else started it, and the container would share its group.
 */
int session_leave(berr_t *e) {
  if (getsid(0) == getpid()) return 0;
  if (setsid() < 0) {
    return berr_set(e, STAGE_MONITOR, errno,
                    "setsid: cannot leave the starter's session (the helper leads process group %d; start it "
                    "as a plain child, as the JVM does)", (int)getpgrp());
  }
  return 0;
}
