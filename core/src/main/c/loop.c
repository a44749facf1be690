/*
 * A small registry of fds for the monitor's poll loop: each fd has the events it waits for and
 * a handler. The monitor polls its own streams first and these after them, so features (the
 * port proxy, the control socket) add fds without touching the loop itself.
 */
#include <poll.h>
#include <string.h>

#include "loop.h"

struct watch {
  int fd; /* -1: free slot */
  short events;
  unsigned serial; /* tells a slot reused during one dispatch from the one that was polled */
  loop_fn fn;
  void *ctx;
};

static struct watch watches[LOOP_MAX];
static unsigned polled_serial[LOOP_MAX];
static size_t polled_slot[LOOP_MAX];
static size_t used; /* slots [0, used) may be taken */
static unsigned next_serial = 1;

static struct watch *find(int fd) {
  for (size_t i = 0; i < used; i++) {
    if (watches[i].fd == fd) return &watches[i];
  }
  return NULL;
}

/* Returns -1 when the registry is full (the caller then closes the fd). */
int loop_add(int fd, short events, loop_fn fn, void *ctx) {
  size_t i = 0;
  while (i < used && watches[i].fd >= 0) i++;
  if (i == LOOP_MAX) return -1;
  if (i == used) used++;
  watches[i] = (struct watch){fd, events, next_serial++, fn, ctx};
  return 0;
}

void loop_set(int fd, short events) {
  struct watch *w = find(fd);
  if (w != NULL) w->events = events;
}

void loop_del(int fd) {
  struct watch *w = fd < 0 ? NULL : find(fd);
  if (w != NULL) w->fd = -1;
  while (used > 0 && watches[used - 1].fd < 0) used--;
}

/* Appends a pollfd for every watch to p; returns how many. */
size_t loop_fill(struct pollfd *p, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < used && n < cap; i++) {
    if (watches[i].fd < 0) continue;
    p[n] = (struct pollfd){watches[i].fd, watches[i].events, 0};
    polled_slot[n] = i;
    polled_serial[n] = watches[i].serial;
    n++;
  }
  return n;
}

/* Calls the handler of each polled fd that has events, unless a handler removed it meanwhile. */
void loop_dispatch(const struct pollfd *p, size_t n) {
  for (size_t k = 0; k < n; k++) {
    struct watch *w = &watches[polled_slot[k]];
    if (p[k].revents == 0 || w->fd != p[k].fd || w->serial != polled_serial[k]) continue;
    w->fn(w->ctx, w->fd, p[k].revents);
  }
}
