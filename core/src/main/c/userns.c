/*
 * A user namespace's id maps beyond the single one an unprivileged process may write itself:
 * the caller's uid to 0 and its subordinate range (/etc/subuid) to 1..N. Only the setuid tools
 * newuidmap and newgidmap (package uidmap) may write those; they check /etc/subuid themselves.
 * As runc, crun and rootlesskit do: the child has unshared, waits on the sync socket, and its
 * parent writes the maps for its pid before letting it go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "userns.h"
#include "config.h"
#include "ns.h"
#include "spawn.h"

#define MAX_MAPS 16

static int write_proc_map(pid_t pid, const char *file, const struct idmap_rec *maps, size_t n, berr_t *e) {
  char path[64], text[MAX_MAPS * 40] = "";
  for (size_t i = 0; i < n; i++) {
    snprintf(text + strlen(text), sizeof text - strlen(text), "%lu %lu %lu\n", maps[i].inside, maps[i].outside,
             maps[i].count);
  }
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  return ns_write_file(path, text, e);
}

/* Runs "tool PID inside outside count ..." and waits for it. */
static int run_tool(const char *tool, pid_t pid, const struct idmap_rec *maps, size_t n, berr_t *e) {
  char words[2 + MAX_MAPS * 3][24];
  char *argv[2 + MAX_MAPS * 3 + 1] = {(char *)tool};
  size_t k = 1;
  snprintf(words[k], sizeof words[k], "%d", pid);
  argv[k] = words[k], k++;
  for (size_t i = 0; i < n; i++) {
    const unsigned long v[3] = {maps[i].inside, maps[i].outside, maps[i].count};
    for (int j = 0; j < 3; j++, k++) {
      snprintf(words[k], sizeof words[k], "%lu", v[j]);
      argv[k] = words[k];
    }
  }
  argv[k] = NULL;
  char said[512], failed[sizeof e->msg];
  if (spawn_wait(argv, said, sizeof said, STAGE_USERNS, e) < 0) {
    snprintf(failed, sizeof failed, "%s", e->msg);
    return berr_set(e, STAGE_USERNS, 0, "%s: does /etc/sub%cid give this user the subordinate ids asked for?",
                    failed, tool[3]);
  }
  return 0;
}

/* The single mapping (no uidmap records), or the configured maps through the tools (or directly as root). */
int userns_write_maps(pid_t pid, const config_t *c, berr_t *e) {
  if (c->nuidmaps == 0 || c->ngidmaps == 0) return ns_write_idmaps(pid, getuid(), getgid(), e);
  if (c->nuidmaps > MAX_MAPS || c->ngidmaps > MAX_MAPS) {
    return berr_set(e, STAGE_USERNS, 0, "more than %d uid or gid map lines", MAX_MAPS);
  }
  if (getuid() == 0) {
    return write_proc_map(pid, "uid_map", c->uidmaps, c->nuidmaps, e) < 0 ? -1
           : write_proc_map(pid, "gid_map", c->gidmaps, c->ngidmaps, e);
  }
  if (run_tool("newuidmap", pid, c->uidmaps, c->nuidmaps, e) < 0) return -1;
  return run_tool("newgidmap", pid, c->gidmaps, c->ngidmaps, e);
}

/* The id inside the namespace that is `outside` on the host, or -1 when the maps do not cover it. */
long userns_to_inside(const struct idmap_rec *maps, size_t n, unsigned long outside) {
  for (size_t i = 0; i < n; i++) {
    if (outside >= maps[i].outside && outside - maps[i].outside < maps[i].count) {
      return (long)(maps[i].inside + (outside - maps[i].outside));
    }
  }
  return -1;
}
