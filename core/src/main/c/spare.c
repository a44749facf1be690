/*
 * A spare helper (`berth-helper --spare DIR...`), started by the JVM before a container needs it,
 * so that a start spends neither the helper's spawn nor the move into the v1 cgroups (a write per
 * hierarchy, see cgroup.c) nor the making of the network namespace on its critical path. The
 * spare forks a zygote at once, which writes itself into the spare's v1 cgroup dirs (DIR..., made
 * by the JVM), moves into a new network namespace and waits. To claim the spare, the JVM renames
 * those dirs to the container's, writes the limits and the config, and sends the config's path as
 * one line on the spare's stdin. The spare then starts the container as any helper does, except
 * that the zygote clones the container's first process (CLONE_PARENT: it becomes the spare's
 * child, so the spare is its monitor) and exits: the process inherits the zygote's v1 cgroups
 * with no write, and enters the v2 directory at clone. The monitor stays outside the container's
 * cgroups, so pause and the pids and memory limits see only the container. With --slirp the spare
 * also starts slirp4netns for the zygote's namespace (net.c); a container that wants none gets a
 * fresh namespace (clone_flags).
 *
 * End-of-file on stdin before a line (the JVM closed the spare, or died) kills the zygote and
 * removes the spare's cgroup dirs; the zygote also dies with the spare (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spare.h"
#include "cgroup.h"
#include "config.h"
#include "fdpass.h"
#include "ns.h"
#include "seccomp.h"
#include "sync.h"

/* What the spare sends the zygote: the config's path, and the child's ends of its streams. */
struct request {
  uint32_t present; /* bit i: fds[i] of {sync[1], out[1], err[1], in[0]} was sent */
  int fresh_net;    /* the namespace made ahead has a slirp4netns the container does not want */
  char path[4096];
};
#define NCHILD_FDS 4

static void zygote_fail(int sock, const berr_t *e) {
  sync_send_error(sock, e);
  _exit(BERTH_EXIT_SETUP_FAILED);
}

/* The child's fds from what came: the monitor's ends stay -1 (they are the spare's). */
static void child_fds(const struct request *req, const int *got, size_t ngot, struct fds *f) {
  int *slot[NCHILD_FDS] = {&f->sync[1], &f->out[1], &f->err[1], &f->in[0]};
  f->sync[0] = f->sync[1] = f->out[0] = f->out[1] = f->err[0] = f->err[1] = f->in[0] = f->in[1] = -1;
  size_t k = 0;
  for (int i = 0; i < NCHILD_FDS; i++) {
    if ((req->present & (1u << i)) && k < ngot) *slot[i] = got[k++];
  }
}

/*
 * The network namespace the container gets, made while the spare waits: creating one is the
 * dearest part of the clone (a third of a millisecond, more than the other namespaces
 * together). The zygote moves into a new one once it sits in the cgroups (so its memory is
 * charged to the container, as at clone), brings its lo up, and keeps its own open to go
 * back. -1: not made
 * (unshare refused), the clone makes it as without a spare.
 */
static int own_net = -1;

static void prepare_net(void) {
  int own = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0) return;
  if (unshare(CLONE_NEWNET) < 0) {
    close(own);
    return;
  }
  own_net = own;
  berr_t ignored;
  ns_loopback_up(&ignored); /* a twentieth of a millisecond, under the kernel's rtnl lock; else the child does it */
}

/*
 * The clone flags for the config: a new network namespace is the one made ahead, unless the
 * spare's slirp4netns (net.c) runs in it and the container wants none (fresh: a new one, and
 * the slirp4netns ends without holding up the start). A container that wants no new namespace
 * (the host's, or one it joins later) or one its user namespace owns must not start in it: the
 * zygote goes back to its own first. Before the seccomp filter, which may refuse setns.
 */
static int clone_flags(int flags, int fresh, berr_t *e) {
  if (own_net < 0) return flags;
  if ((flags & CLONE_NEWNET) && !(flags & CLONE_NEWUSER)) return fresh ? flags : flags & ~CLONE_NEWNET;
  if (setns(own_net, CLONE_NEWNET) < 0) {
    return berr_set(e, STAGE_SPAWN, errno, "return the spare's zygote to its network namespace");
  }
  return flags;
}

/* The container's first process, as the zygote clones it. */
struct zygote_child {
  child_fn child;
  const config_t *c;
  const struct fds *f;
};

static int run_child(void *arg) {
  const struct zygote_child *z = arg;
  if (own_net >= 0) close(own_net); /* the container never holds the host's namespace */
  z->child(z->c, z->f);             /* execs or exits */
  return BERTH_EXIT_SETUP_FAILED;
}

static void zygote_main(int sock, pid_t spare, char **dirs, size_t ndirs, child_fn child) {
  berr_t e;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != spare) _exit(0); /* the spare died before the line above */
  if (cgroup_join_dirs(dirs, ndirs, getpid(), &e) < 0) zygote_fail(sock, &e);
  prepare_net();
  if (sync_send_pid(sock, getpid(), &e) < 0) _exit(BERTH_EXIT_SETUP_FAILED); /* "ready" */
  static struct request req;
  int got[NCHILD_FDS];
  size_t ngot;
  if (fd_recv_fds(sock, &req, sizeof req, got, NCHILD_FDS, &ngot) != (ssize_t)sizeof req) _exit(0);
  req.path[sizeof req.path - 1] = '\0';
  struct fds f;
  child_fds(&req, got, ngot, &f);
  config_t c;
  char *buf = NULL;
  int flags;
  if (config_load(req.path, &buf, &c, &e) < 0 || (flags = clone_flags(c.run.ns_flags, req.fresh_net, &e)) < 0 ||
      seccomp_load(&c.proc, &e) < 0) {
    zygote_fail(sock, &e);
  }
  int cg = cgroup_open_unified(&c), placed;
  /* the child shares our memory (ns_clone_shared): from here we only send its pid and exit */
  static struct zygote_child zc;
  zc = (struct zygote_child){child, &c, &f};
  pid_t pid = ns_clone_shared(flags | CLONE_PARENT, cg, &placed, run_child, &zc, &e);
  if (pid == 0) run_child(&zc); /* the fallback's child: a copy of us */
  if (pid < 0) zygote_fail(sock, &e);
  if (!placed && cgroup_join(&c, pid, CGROUP_V2, &e) < 0) {
    kill(pid, SIGKILL); /* the spare reaps it: it is the spare's child */
    zygote_fail(sock, &e);
  }
  _exit(sync_send_pid(sock, pid, &e) < 0 ? BERTH_EXIT_SETUP_FAILED : 0);
}

/* Forks the zygote and returns once it sits in the dirs, or with its error. */
int spare_start(char **dirs, size_t ndirs, child_fn child, struct spare *z, berr_t *e) {
  int sv[2];
  *z = (struct spare){.zygote = -1, .sock = -1, .dirs = dirs, .ndirs = ndirs, .slirp = SLIRP_AHEAD_NONE};
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
    return berr_set(e, STAGE_SPAWN, errno, "socketpair for the spare's zygote");
  }
  pid_t spare = getpid(), pid = fork();
  if (pid == 0) {
    close(sv[0]);
    zygote_main(sv[1], spare, dirs, ndirs, child);
  }
  close(sv[1]);
  z->sock = sv[0];
  if (pid < 0) {
    berr_set(e, STAGE_SPAWN, errno, "fork the spare's zygote");
    spare_discard(z);
    return -1;
  }
  z->zygote = pid;
  pid_t ready;
  if (sync_recv_pid(z->sock, &ready, e) != 0) {
    spare_discard(z);
    return -1;
  }
  return 0;
}

/*
 * Exactly n bytes of stdin: what follows them is the container's, so nothing more is read.
 * 0: got them; 1: end-of-file before the first byte (the spare is not wanted); -1: cut short.
 */
static int read_exact(char *out, size_t n, berr_t *e) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(STDIN_FILENO, out + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && got == 0) return 1;
    if (r <= 0) return berr_set(e, STAGE_CONFIG, r < 0 ? errno : EPIPE, "the claim on the spare's stdin was cut short");
    got += (size_t)r;
  }
  return 0;
}

/*
 * The JVM's claim: five decimal digits, the length of what follows, then the status pipe's path
 * and the config's, each ended by a newline. Two reads, where a line read byte by byte (so as not
 * to read into the container's stdin) took one read(2) a byte.
 */
static int read_claim(char *status, char *path, size_t cap, berr_t *e) {
  char len[6] = {0}, buf[2 * PATH_MAX];
  int r = read_exact(len, 5, e);
  if (r != 0) return r;
  char *end;
  unsigned long n = strtoul(len, &end, 10);
  if (*end != '\0' || n < 2 || n > sizeof buf) return berr_set(e, STAGE_CONFIG, EINVAL, "a malformed claim on the spare's stdin (length \"%s\")", len);
  if ((r = read_exact(buf, n, e)) != 0) return r < 0 ? r : berr_set(e, STAGE_CONFIG, EPIPE, "the claim on the spare's stdin was cut short");
  char *nl = memchr(buf, '\n', n);
  if (nl == NULL || nl == buf + n - 1 || buf[n - 1] != '\n' || memchr(nl + 1, '\n', (size_t)(buf + n - 1 - (nl + 1))) != NULL) {
    return berr_set(e, STAGE_CONFIG, EINVAL, "a malformed claim on the spare's stdin (not two lines)");
  }
  size_t a = (size_t)(nl - buf), b = n - 1 - a - 1;
  if (a + 1 > cap || b + 1 > cap) return berr_set(e, STAGE_CONFIG, ENAMETOOLONG, "a path the spare was claimed with is too long");
  memcpy(status, buf, a), status[a] = '\0';
  memcpy(path, nl + 1, b), path[b] = '\0';
  return 0;
}

int spare_await_claim(struct spare *z, char *status, char *path, size_t cap, berr_t *e) {
  struct pollfd p[2] = {{STDIN_FILENO, POLLIN, 0}, {z->sock, POLLIN, 0}};
  while (poll(p, 2, -1) < 0) {
    if (errno != EINTR) return berr_set(e, STAGE_SPAWN, errno, "poll the spare's stdin");
  }
  if (!(p[0].revents & (POLLIN | POLLHUP)) && p[1].revents) {
    return berr_set(e, STAGE_SPAWN, 0, "the spare's zygote ended before the spare was claimed");
  }
  return read_claim(status, path, cap, e);
}

/*
 * Kills the zygote (and a slirp4netns started ahead) and removes the spare's cgroup dirs (those
 * the JVM did not rename).
 */
void spare_discard(struct spare *z) {
  net_slirp_drop(&z->slirp, 1);
  if (z->zygote > 0) {
    kill(z->zygote, SIGKILL);
    waitpid(z->zygote, NULL, 0);
    z->zygote = -1;
  }
  if (z->sock >= 0) close(z->sock), z->sock = -1;
  cgroup_remove_dirs(z->dirs, z->ndirs);
}

/*
 * Has the zygote clone the container's first process (our child, thanks to CLONE_PARENT).
 * Returns the child's pid; the zygote, which exits on its own, is reaped by spare_reap.
 */
pid_t spare_clone(struct spare *z, const config_t *c, const char *config_path, const struct fds *f, berr_t *e) {
  static struct request req;
  const int mine[NCHILD_FDS] = {f->sync[1], f->out[1], f->err[1], f->in[0]};
  int fds[NCHILD_FDS];
  size_t n = 0;
  memset(&req, 0, sizeof req);
  if (strlen(config_path) >= sizeof req.path) return berr_set(e, STAGE_CONFIG, ENAMETOOLONG, "config path too long");
  strcpy(req.path, config_path);
  req.fresh_net = z->slirp.pid > 0 && !net_slirp_serves(&z->slirp, c);
  for (int i = 0; i < NCHILD_FDS; i++) {
    if (mine[i] >= 0) req.present |= 1u << i, fds[n++] = mine[i];
  }
  pid_t pid = -1;
  int r;
  if (fd_send_fds(z->sock, &req, sizeof req, fds, n) != (ssize_t)sizeof req) {
    r = berr_set(e, STAGE_SPAWN, errno, "hand the container to the spare's zygote");
  } else {
    r = sync_recv_pid(z->sock, &pid, e);
  }
  close(z->sock), z->sock = -1;
  if (r != 0) {
    kill(z->zygote, SIGKILL);
    spare_reap(z);
    return -1;
  }
  return pid;
}

/*
 * Reaps the zygote once it has exited, which it does right after the clone. The monitor calls
 * this after letting the child set up and before its process may go: the zygote must not count
 * in the container's pids, but its exit need not hold up the child's mounts.
 */
void spare_reap(struct spare *z) {
  if (z == NULL || z->zygote <= 0) return;
  while (waitpid(z->zygote, NULL, 0) < 0 && errno == EINTR) {
  }
  z->zygote = -1;
}
