/* Shared types of the berth helper: the error struct, the config, cleanup helpers. */
#ifndef BERTH_H
#define BERTH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <poll.h>
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

/* A published port: the monitor listens on host_ip:host_port and relays to container_port. */
struct publish_rec {
  int type; /* SOCK_STREAM or SOCK_DGRAM */
  char *host_ip;
  unsigned int host_port, container_port; /* host_port 0: the kernel picks a free one */
};

/* The container's network beyond its namespace (CONFIG.md, keys net.* and publish). */
/* One more network (net.extra): a veth whose peer is ifname inside, with an address, no route. */
struct netextra_rec {
  char *bridge, *veth, *ifname, *address;
};

struct net_conf {
  char *join;    /* path of a network namespace to join instead of creating one */
  char *ip_tool; /* iproute2's ip, used for a veth on a bridge */
  char *bridge, *veth, *address, *gateway;
  struct netextra_rec *extra; /* the networks after the first (eth1, eth2 …) */
  size_t nextra;
  char *slirp; /* slirp4netns, for outbound traffic without a bridge */
  struct publish_rec *publish;
  size_t npublish;
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
  char **cgroups; /* cgroup dirs the container joins (the JVM made and limited them) */
  size_t ncgroups;
  int tty, stdin_open;
  int relay;      /* 1: output also goes to our stdout/stderr (the JVM); 0: log only */
  int autoremove; /* 1: remove state_dir once the container has exited */
  unsigned short tty_rows, tty_cols; /* initial window size; 0 leaves the kernel's */
  pid_t target_pid;                  /* exec mode: join this running container's process */
  pid_t owner_pid;                   /* 0, or a process whose end kills and removes the container */
  int caps_given;
  uint64_t caps;
  struct net_conf net;
  /* security options (CONFIG.md): a BPF file, read into seccomp_filter before the root changes */
  char *seccomp_path;
  void *seccomp_filter;
  size_t seccomp_len;
  int no_new_privs, readonly_rootfs, privileged;
  struct idmap_rec *uidmaps, *gidmaps; /* empty: the single mapping of the caller to 0 */
  size_t nuidmaps, ngidmaps;
  int userxattr; /* overlay: mount with userxattr (layers made by an unprivileged user) */
  char *fuse_program; /* set: mount the overlay with this fuse-overlayfs instead of the kernel's */
  char *job_root; /* set: a file system job in a user namespace, not a container */
  struct chown_rec *chowns;
  size_t nchowns;
  char **removes;
  size_t nremoves;
  char *job_view; /* set: the job mounts the rootfs.* file system here, in its own mount namespace */
  char *job_fill; /* set: copy this path of the view (owners kept) into job.root */
  int job_hold;   /* 1: once the view is mounted, say "started PID" and keep it until stdin ends */
} config_t;

/* config.c */
int config_parse(char *buf, size_t len, config_t *c, berr_t *e);
int config_load(const char *path, char **buf, config_t *c, berr_t *e);
int parse_number(const char *s, unsigned long max, unsigned long *out);
void config_free(config_t *c);

/* json.c */
#define LOG_LINE_MAX 16384 /* a longer line is logged in pieces, as Docker splits long ones */
size_t json_escape(const char *in, size_t n, char *out, size_t cap);
void rfc3339nano(char *out, size_t cap);
void json_log_line(int logfd, const char *stream, const char *data, size_t n);

/* exec.c */
int path_search(const char *name, const char *path, int (*is_exec)(const char *), char *out,
                size_t cap);
int exec_is_executable(const char *path);
int exec_container(const config_t *c, berr_t *e);

/* sync.c */
int sync_send_error(int fd, const berr_t *e);
int sync_send_pid(int fd, pid_t pid, berr_t *e);
int sync_send_fd(int fd, int passed, berr_t *e);
int sync_recv(int fd, berr_t *e);
int sync_recv_pid(int fd, pid_t *pid, berr_t *e);
int sync_recv_fd(int fd, int *passed, berr_t *e);
int sync_send_go(int fd, berr_t *e);
int sync_wait_go(int fd, berr_t *e);
int sync_send_net(int fd, berr_t *e);
int sync_wait_net(int fd, berr_t *e);
int sync_child_failed(int fd, berr_t *e);

/* ns.c */
pid_t ns_clone(int flags, berr_t *e);
pid_t ns_clone_into(int flags, int cgroup_fd, int *placed, berr_t *e);
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

/* netconf.c */
int netconf_is_key(const char *key);
int netconf_parse(const char *key, char *v, config_t *c, berr_t *e);
int netconf_validate(const config_t *c, berr_t *e);

/* net.c */
int net_setup(const config_t *c, pid_t pid, berr_t *e);
void net_port_holder(int type, unsigned int port, char *out, size_t cap);

/* loop.c: fds the monitor polls besides its own streams (control socket, port proxy) */
#define LOOP_MAX 1024
typedef void (*loop_fn)(void *ctx, int fd, short revents);
int loop_add(int fd, short events, loop_fn fn, void *ctx);
void loop_set(int fd, short events);
void loop_del(int fd);
size_t loop_fill(struct pollfd *p, size_t cap);
void loop_dispatch(const struct pollfd *p, size_t n);

/* owner.c: kill and remove the container when the owner process ends */
int owner_watch(const config_t *c, pid_t container, berr_t *e);
int owner_gone(void);

/* proxy.c */
int proxy_bind(const config_t *c, berr_t *e);
int proxy_start(const config_t *c, pid_t pid, berr_t *e);
void proxy_stop(void);

/* fdpass.c */
#define FD_PASS_MAX 8
ssize_t fd_send(int sock, const void *buf, size_t len, int fd);
ssize_t fd_recv(int sock, void *buf, size_t len, int *fd);
ssize_t fd_send_fds(int sock, const void *buf, size_t len, const int *fds, size_t n);
ssize_t fd_recv_fds(int sock, void *buf, size_t len, int *fds, size_t cap, size_t *n);

/* userns.c */
int userns_write_maps(pid_t pid, const config_t *c, berr_t *e);
long userns_to_inside(const struct idmap_rec *maps, size_t n, unsigned long outside);

/* spawn.c */
int spawn_wait(char *const argv[], char *said, size_t cap, int stage, berr_t *e);
int spawn_wait_in(pid_t netns_of, char *const argv[], char *said, size_t cap, int stage, berr_t *e);

/* fsjob.c */
int fsjob_main(const config_t *c);
int fsjob_remove_tree(const config_t *c, const char *path, berr_t *e);
int fsjob_remove_one(int rootfd, const char *path, berr_t *e);

/* mount.c */
int mount_container(const config_t *c, berr_t *e);
int mount_rootfs(const config_t *c, const char *target, berr_t *e);
int mount_open_in_root(int rootfd, const char *path, mode_t create, berr_t *e);
int mount_mask_paths(int rootfd, berr_t *e);

/* devices.c */
int devices_add_host(int devdir, int in_userns, berr_t *e);

/* fscopy.c */
int fscopy_contents(int src, int dst, berr_t *e);

/* creds.c */
int creds_apply(const config_t *c, berr_t *e);
int creds_close_fds(berr_t *e);
int creds_inherit(config_t *c, berr_t *e);
uint64_t creds_default_caps(void);

/* seccomp.c */
int seccomp_load(config_t *c, berr_t *e);
int seccomp_install(const config_t *c, berr_t *e);

/* session.c */
int session_leave(berr_t *e);

/* selfexe.c */
int selfexe_protect(char **argv, berr_t *e);

/* pty.c */
int pty_setup(const config_t *c, int sync, berr_t *e);
int pty_resize(int master, unsigned short rows, unsigned short cols, berr_t *e);
int pty_dup_primary(int primary, int *in, berr_t *e);

/* nsenter.c */
pid_t nsenter_spawn(const config_t *c, int sync_child, int sync_parent, berr_t *e);

/* ctl.c */
enum ctl_op { CTL_RESIZE = 1, CTL_SIGNAL };
struct ctl_cmd {
  enum ctl_op op;
  unsigned long a, b;
};
int ctl_parse(const char *line, struct ctl_cmd *cmd, berr_t *e);
int ctl_listen(const char *dir, pid_t pid, int master, berr_t *e);
void ctl_close(void);

/* monitor.c */
int remove_tree(const char *path);
int monitor_run(const config_t *c, pid_t pid, const char *started, int out, int err, int in, int sigfd,
                int logfd);
/* cgroup.c */
enum { CGROUP_V1 = 1, CGROUP_V2 = 2 };
int cgroup_open_unified(const config_t *c);
int cgroup_join(const config_t *c, pid_t pid, int which, berr_t *e);
int cgroup_join_dirs(char *const *dirs, size_t n, pid_t pid, berr_t *e);
int cgroup_oom_killed(const config_t *c);
void cgroup_remove(const config_t *c);
void cgroup_remove_dirs(char *const *dirs, size_t n);

/* The container's end of its streams and of the sync socket, and the monitor's. */
struct fds {
  int sync[2];               /* [0] monitor, [1] child */
  int out[2], err[2], in[2]; /* pipes: [0] read end, [1] write end */
};
/* The container's first process (main.c): sets up, execs; never returns. */
typedef void (*child_fn)(const config_t *c, const struct fds *f);

/* spare.c: a helper started ahead of its container, with a zygote already in the v1 cgroups */
struct spare {
  pid_t zygote;
  int sock;
  char **dirs; /* the spare's v1 cgroup dirs (argv) */
  size_t ndirs;
};
int spare_start(char **dirs, size_t ndirs, child_fn child, struct spare *z, berr_t *e);
int spare_await_claim(struct spare *z, char *path, size_t cap, berr_t *e);
void spare_discard(struct spare *z);
pid_t spare_clone(struct spare *z, const char *config_path, const struct fds *f, berr_t *e);

/* state.c: state.json in the state dir */
int state_write(const char *dir, const char *status, pid_t pid, const char *started, const char *finished,
                int exit_code, int oom_killed, berr_t *e);
int state_record_exit(const char *dir, pid_t pid, const char *started, int exit_code, int oom_killed, int logfd);

#endif
