/* selfexe.c: re-executing from a sealed memfd (CVE-2019-5736). */
#ifndef BERTH_SELFEXE_H
#define BERTH_SELFEXE_H

#include "berth.h"

int selfexe_protect(char **argv, berr_t *e);

#endif
