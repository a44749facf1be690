/*
 * The monitor's registry of extra fds, polled next to the container's streams: each part that
 * needs the event loop (the control socket, a port proxy) registers its fds with a handler
 * instead of growing monitor_run.
 */
#include <errno.h>
#include <poll.h>

#include "berth.h"

struct watch {
  int fd;
  short events;
  watch_fn fn;
  void *ctx;
};

static struct watch watches[WATCH_MAX];
static size_t nwatches;

int watch_add(int fd, short events, watch_fn fn, void *ctx, berr_t *e) {
  if (nwatches == WATCH_MAX) return berr_set(e, STAGE_MONITOR, EMFILE, "more than %d watched fds", WATCH_MAX);
  watches[nwatches++] = (struct watch){fd, events, fn, ctx};
  return 0;
}

void watch_remove(int fd) {
  for (size_t i = 0; i < nwatches; i++) {
    if (watches[i].fd == fd) {
      watches[i] = watches[--nwatches];
      return;
    }
  }
}

/* Fills p with the registered fds; returns how many. */
size_t watch_pollfds(struct pollfd *p, size_t cap) {
  size_t n = nwatches < cap ? nwatches : cap;
  for (size_t i = 0; i < n; i++) p[i] = (struct pollfd){watches[i].fd, watches[i].events, 0};
  return n;
}

/* Calls the handler of every fd poll reported on (a handler may remove its own fd). */
void watch_dispatch(const struct pollfd *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i].revents == 0) continue;
    for (size_t j = 0; j < nwatches; j++) {
      if (watches[j].fd == p[i].fd) {
        watches[j].fn(p[i].fd, p[i].revents, watches[j].ctx);
        break;
      }
    }
  }
}
