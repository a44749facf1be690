/* fscopy.c: copying a directory's contents, owners, modes and times kept. */
#ifndef BERTH_FSCOPY_H
#define BERTH_FSCOPY_H

#include "berth.h"

int fscopy_contents(int src, int dst, berr_t *e);

#endif
