/*
 * The parsed config (config.c, netconf.c; format: CONFIG.md). One file drives one of three
 * programs: a container start (run), a process in a running container (exec, target_pid) or a
 * file system job (job.root). config_t holds what they share and one struct per program;
 * validation refuses keys of another program, so those members stay zero.
 */
#ifndef BERTH_CONFIG_H
#define BERTH_CONFIG_H

#include <sys/resource.h>

#include "berth.h"

enum program { PROGRAM_RUN = 1, PROGRAM_EXEC, PROGRAM_JOB };

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

/* One more network (net.extra): a veth whose peer is ifname inside, with an address, no route. */
struct netextra_rec {
  char *bridge, *veth, *ifname, *address;
};

/* The container's network beyond its namespace (CONFIG.md, keys net.* and publish). */
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

/* rootfs.*: a container's root file system (run), or what a job's view mounts (job). */
struct rootfs_conf {
  char **lower; /* overlay lower dirs, top first */
  size_t nlower;
  char *upper, *work;
  char *dir;    /* a plain directory instead of an overlay (run only) */
  int userxattr; /* overlay: mount with userxattr (layers made by an unprivileged user) */
  char *fuse;    /* set: mount the overlay with this fuse-overlayfs instead of the kernel's */
};

/* The process a run or an exec starts: argv, environment, ids, limits, privileges, terminal. */
struct process_conf {
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
  int caps_given;
  uint64_t caps;
  /* a BPF file, read into seccomp_filter before the root changes */
  char *seccomp_path;
  void *seccomp_filter;
  size_t seccomp_len;
  int no_new_privs;
  int privileged; /* a run's mounts and devices; a run's and an exec's capabilities */
  int tty, stdin_open;
  unsigned short tty_rows, tty_cols; /* initial window size; 0 leaves the kernel's */
};

/* A new container: its namespaces, mounts, cgroups and network (PROGRAM_RUN). */
struct run_conf {
  char *hostname;
  int ns_flags; /* CLONE_NEW* */
  struct mount_rec *mounts;
  size_t nmounts;
  char **cgroups; /* cgroup dirs the container joins (the JVM made and limited them) */
  size_t ncgroups;
  struct net_conf net;
  int readonly_rootfs;
};

/* A process in a running container (PROGRAM_EXEC). */
struct exec_conf {
  pid_t target_pid; /* join this running container's process's namespaces */
};

/* A file system job in a user namespace (PROGRAM_JOB). */
struct job_conf {
  char *root;
  struct chown_rec *chowns;
  size_t nchowns;
  char **removes;
  size_t nremoves;
  char *view; /* set: mount the rootfs.* file system here, in a mount namespace of its own */
  char *fill; /* set: copy this path of the view (owners kept) into root */
  int hold;   /* 1: once the view is mounted, say "started PID" and keep it until stdin ends */
};

/* A parsed config; strings point into the buffer it was parsed from. */
typedef struct {
  int version;
  enum program program; /* job.root: a job; target_pid: an exec; else a run */
  /* the monitor's, for a run and an exec */
  char *state_dir, *log_path;
  int relay;      /* 1: output also goes to our stdout/stderr (the JVM); 0: log only */
  int autoremove; /* 1: remove state_dir once the process has exited */
  pid_t owner_pid; /* 0, or a process whose end kills and removes the container */
  /* a run's or a job's user namespace; empty: the single mapping of the caller to 0 */
  struct idmap_rec *uidmaps, *gidmaps;
  size_t nuidmaps, ngidmaps;
  struct rootfs_conf rootfs; /* run; a job's view */
  struct process_conf proc;  /* run, exec */
  struct run_conf run;
  struct exec_conf exec;
  struct job_conf job;
} config_t;

/* config.c */
int config_parse(char *buf, size_t len, config_t *c, berr_t *e);
int config_load(const char *path, char **buf, config_t *c, berr_t *e);
int parse_number(const char *s, unsigned long max, unsigned long *out);
void config_free(config_t *c);

#endif
