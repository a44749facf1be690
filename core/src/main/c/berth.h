/* Shared types of the berth helper: the error struct, the config, cleanup helpers. */
#ifndef BERTH_H
#define BERTH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include "protocol.h"

#define STAGE_ENUM(name, num, word) name = num,
enum stage { BERTH_STAGES(STAGE_ENUM) };
#undef STAGE_ENUM

/* Every fallible function returns int (-1 on failure) and fills one of these. */
typedef struct {
  int stage;
  int err; /* errno, or 0 when the failure is not a system call's */
  char msg[1024];
} berr_t;

/* error.c */
int berr_set(berr_t *e, int stage, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *stage_word(int stage);
int berr_exit_code(const berr_t *e);
void berr_status_line(const berr_t *e, int fd);

/* cleanup helpers: the variable is released when it goes out of scope */
void cleanup_fd(int *fd);
void cleanup_free(void *p);
#define AUTO_FD __attribute__((cleanup(cleanup_fd)))
#define AUTO_FREE __attribute__((cleanup(cleanup_free)))

struct rlimit_rec {
  int resource;
  rlim_t soft, hard;
};

struct mount_rec {
  char *type, *source, *dest, *options;
};

/* One line of a uid_map or gid_map: ids inside..inside+count-1 are outside.. on the host. */
struct idmap_rec {
  unsigned long inside, outside, count;
};

/* A job's chown: path relative to job.root; ids as the host sees them. */
struct chown_rec {
  unsigned long uid, gid;
  char *path;
};

/* A parsed config; strings point into the buffer it was parsed from. */
typedef struct {
  int version;
  char **lower;
  size_t nlower;
  char *upper, *work, *rootdir;
  char *hostname;
  char **argv; /* NULL-terminated */
  size_t nargv;
  char **env; /* NULL-terminated */
  size_t nenv;
  char *cwd;
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  size_t ngroups;
  struct rlimit_rec *rlimits;
  size_t nrlimits;
  int ns_flags; /* CLONE_NEW* */
  struct mount_rec *mounts;
  size_t nmounts;
  char *state_dir, *log_path;
  int tty, stdin_open;
  int caps_given;
  uint64_t caps;
  struct idmap_rec *uidmaps, *gidmaps; /* empty: the single mapping of the caller to 0 */
  size_t nuidmaps, ngidmaps;
  int userxattr; /* overlay: mount with userxattr (layers made by an unprivileged user) */
  char *fuse_program; /* set: mount the overlay with this fuse-overlayfs instead of the kernel's */
  char *job_root; /* set: a file system job in a user namespace, not a container */
  struct chown_rec *chowns;
  size_t nchowns;
  char **removes;
  size_t nremoves;
} config_t;

/* config.c */
int config_parse(char *buf, size_t len, config_t *c, berr_t *e);
int config_load(const char *path, char **buf, config_t *c, berr_t *e);
void config_free(config_t *c);

/* json.c */
size_t json_escape(const char *in, size_t n, char *out, size_t cap);
void rfc3339nano(char *out, size_t cap);

/* exec.c */
int path_search(const char *name, const char *path, int (*is_exec)(const char *), char *out,
                size_t cap);
int exec_is_executable(const char *path);
int exec_container(const config_t *c, berr_t *e);

/* sync.c */
int sync_send_error(int fd, const berr_t *e);
int sync_recv(int fd, berr_t *e);
int sync_send_go(int fd, berr_t *e);
int sync_wait_go(int fd, berr_t *e);

/* ns.c */
pid_t ns_clone(int flags, berr_t *e);
int ns_write_idmaps(pid_t pid, uid_t uid, gid_t gid, berr_t *e);
int ns_loopback_up(berr_t *e);

/* userns.c */
int userns_write_maps(pid_t pid, const config_t *c, berr_t *e);
long userns_to_inside(const struct idmap_rec *maps, size_t n, unsigned long outside);

/* spawn.c */
int spawn_wait(char *const argv[], char *said, size_t cap, int stage, berr_t *e);

/* fsjob.c */
int fsjob_main(const config_t *c);

/* mount.c */
int mount_container(const config_t *c, berr_t *e);

/* creds.c */
int creds_apply(const config_t *c, berr_t *e);
int creds_close_fds(berr_t *e);
uint64_t creds_default_caps(void);

/* pty.c */
int pty_setup(const config_t *c, berr_t *e);

/* monitor.c */
int monitor_run(const config_t *c, pid_t pid, const char *started, int out, int err, int in, int sigfd,
                int logfd);
int state_write(const config_t *c, const char *status, pid_t pid, const char *started,
                const char *finished, int exit_code, berr_t *e);

#endif
