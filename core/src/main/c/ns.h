/* ns.c: clone into new namespaces, id maps, joining another process's namespaces. */
#ifndef BERTH_NS_H
#define BERTH_NS_H

#include "berth.h"

pid_t ns_clone(int flags, berr_t *e);
pid_t ns_clone_into(int flags, int cgroup_fd, int *placed, berr_t *e);
pid_t ns_clone_shared(int flags, int cgroup_fd, int *placed, int (*fn)(void *), void *arg, berr_t *e);
int ns_write_file(const char *path, const char *text, berr_t *e);
int ns_write_idmaps(pid_t pid, uid_t uid, gid_t gid, berr_t *e);
int ns_loopback_up(berr_t *e);
#define NS_COUNT 7
struct ns_kind {
  const char *name; /* as in /proc/PID/ns/ */
  int flag;         /* CLONE_NEW* */
};
extern const struct ns_kind NS_KINDS[NS_COUNT]; /* in the order to join them */
int ns_enter(int fd, int nstype, const char *whose, int stage, berr_t *e);
int ns_join(pid_t pid, int nstype, int stage, berr_t *e);
int ns_join_path(const char *path, int nstype, int stage, berr_t *e);
int ns_hold(pid_t pid, const char *name);
void ns_release_later(int fd);

#endif
