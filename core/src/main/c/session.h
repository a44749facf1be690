/* session.c: leaving the JVM's session and process group. */
#ifndef BERTH_SESSION_H
#define BERTH_SESSION_H

#include "berth.h"

int session_leave(berr_t *e);

#endif
