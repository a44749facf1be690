/*
 * The container's network beyond lo: a veth on a bridge the JVM created (done with iproute2's
 * ip, run by the monitor before the container's process may go), slirp4netns for the private
 * network (a spare's started ahead), and finding who holds a port.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "net.h"
#include "config.h"
#include "spawn.h"

/* Runs ip with args (in pid's network namespace when pid > 0); what it says becomes the error. */
static int run_ip(const config_t *c, pid_t pid, char *const *args, berr_t *e) {
  char *argv[16] = {c->run.net.ip_tool};
  size_t n = 1;
  for (; args[n - 1] != NULL && n < 15; n++) argv[n] = args[n - 1];
  argv[n] = NULL;
  char said[512];
  return spawn_wait_in(pid, argv, said, sizeof said, STAGE_NETWORK, e);
}

/*
 * A veth pair: the host end on the bridge, the other end as eth0 in the container's network
 * namespace with its address and a default route through the bridge. Called by the monitor
 * after clone and before the container's process goes on, so the network is there from the
 * first instruction. When the namespace dies, the kernel deletes the pair.
 */
static int net_attach_veth(const config_t *c, pid_t pid, berr_t *e) {
  const struct net_conf *n = &c->run.net;
  if (n->veth == NULL) return 0;
  char ns[16];
  snprintf(ns, sizeof ns, "%d", pid);
  char *add[] = {"link", "add", n->veth, "type", "veth", "peer", "name", "eth0", "netns", ns, NULL};
  char *master[] = {"link", "set", n->veth, "master", n->bridge, "up", NULL};
  char *addr[] = {"addr", "add", n->address, "dev", "eth0", NULL};
  char *up[] = {"link", "set", "eth0", "up", NULL};
  char *route[] = {"route", "add", "default", "via", n->gateway, NULL};
  if (run_ip(c, 0, add, e) < 0) return -1;
  if (run_ip(c, 0, master, e) < 0 || run_ip(c, pid, addr, e) < 0 || run_ip(c, pid, up, e) < 0 ||
      run_ip(c, pid, route, e) < 0) {
    char *del[] = {"link", "del", n->veth, NULL};
    berr_t ignored;
    run_ip(c, 0, del, &ignored);
    return -1;
  }
  return 0;
}

/*
 * One more network (net.extra): like the veth above, but its peer is named as given (eth1,
 * eth2 …) and gets no default route: that stays with eth0.
 */
static int net_attach_extra(const config_t *c, const struct netextra_rec *x, pid_t pid, berr_t *e) {
  char ns[16];
  snprintf(ns, sizeof ns, "%d", pid);
  char *add[] = {"link", "add", x->veth, "type", "veth", "peer", "name", x->ifname, "netns", ns, NULL};
  char *master[] = {"link", "set", x->veth, "master", x->bridge, "up", NULL};
  char *addr[] = {"addr", "add", x->address, "dev", x->ifname, NULL};
  char *up[] = {"link", "set", x->ifname, "up", NULL};
  if (run_ip(c, 0, add, e) < 0) return -1;
  if (run_ip(c, 0, master, e) < 0 || run_ip(c, pid, addr, e) < 0 || run_ip(c, pid, up, e) < 0) {
    char *del[] = {"link", "del", x->veth, NULL};
    berr_t ignored;
    run_ip(c, 0, del, &ignored);
    return -1;
  }
  return 0;
}

/*
 * Outbound traffic without a bridge (private network, rootless too): slirp4netns gives the
 * namespace a tap0 with 10.0.2.100 and a default route, NATed in user space. The host's
 * loopback stays out of reach. It exits when the monitor does (its exit fd is our pipe).
 */
/* How long a start waits for slirp4netns to configure tap0 (it takes milliseconds). */
#define SLIRP_READY_MS 10000
/* How long a spare waits for the one it starts ahead; a slower one is dropped, not waited for. */
#define SLIRP_AHEAD_MS 2000

/* Starts slirp4netns for pid's network namespace (entering its user namespace first when
 * userns), its output to out; *ready and *quit: our ends of its ready and exit fds. */
static pid_t slirp_spawn(const char *slirp, pid_t pid, int userns, int out, int *ready, int *quit, berr_t *e) {
  int r[2], q[2];
  char netns[64], user[80], *argv[12] = {(char *)slirp, "--configure", "--mtu=65520", "--disable-host-loopback",
      "--ready-fd=3", "--exit-fd=4", "--netns-type=path", netns, "tap0", NULL, NULL, NULL};
  snprintf(netns, sizeof netns, "/proc/%d/ns/net", pid);
  snprintf(user, sizeof user, "--userns-path=/proc/%d/ns/user", pid);
  if (userns) argv[8] = user, argv[9] = "tap0"; /* it must enter the owner first */
  if (pipe2(r, O_CLOEXEC) < 0) return berr_set(e, STAGE_NETWORK, errno, "pipes for slirp4netns");
  if (pipe2(q, O_CLOEXEC) < 0) {
    close(r[0]), close(r[1]);
    return berr_set(e, STAGE_NETWORK, errno, "pipes for slirp4netns");
  }
  pid_t child = fork();
  if (child == 0) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    dup2(null, 0), dup2(out >= 0 ? out : null, 1), dup2(out >= 0 ? out : null, 2); /* never the JVM's pipes */
    dup2(r[1], 3), dup2(q[0], 4);
    syscall(SYS_close_range, 5U, ~0U, 0U);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[0], argv);
    _exit(127);
  }
  close(r[1]), close(q[0]);
  if (child < 0) {
    close(r[0]), close(q[1]);
    return berr_set(e, STAGE_NETWORK, errno, "fork for slirp4netns");
  }
  *ready = r[0], *quit = q[1];
  return child;
}

/* Waits for slirp4netns's ready byte: 1, 0 when it exited first, -1 on timeout. */
static int slirp_ready(int ready, int ms) {
  struct pollfd p = {.fd = ready, .events = POLLIN};
  char byte;
  int n = poll(&p, 1, ms);
  return n == 0 ? -1 : n == 1 && read(ready, &byte, 1) == 1;
}

static int start_slirp(const config_t *c, pid_t pid, berr_t *e) {
  char log[4096];
  snprintf(log, sizeof log, "%s/slirp4netns.log", c->state_dir);
  /* The log is opened here, not in the child: once start returns, nothing creates files in the
   * container directory any more, so removing it after the exit cannot race the child. */
  AUTO_FD int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int ready, quit;
  if (slirp_spawn(c->run.net.slirp, pid, (c->run.ns_flags & CLONE_NEWUSER) != 0, out, &ready, &quit, e) < 0) return -1;
  /* The container execs only once its network is up: a program that resolves a name at once
   * (apt-get update) must not find tap0 missing. slirp4netns writes one byte to its ready fd
   * when tap0 is configured, and closes it without one when it fails. ready and quit stay
   * open for the monitor's life: slirp4netns exits when the second closes. */
  int up = slirp_ready(ready, SLIRP_READY_MS);
  if (up == 1) return 0;
  return berr_set(e, STAGE_NETWORK, up < 0 ? ETIMEDOUT : 0, "slirp4netns %s the private network was up (outbound traffic); see %s",
      up < 0 ? "did not report within 10 s that" : "exited before", log);
}

/* The device and inode of pid's network namespace ("self" for ours); -1 when it cannot be read. */
static int netns_of(const char *pid, struct stat *st) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%s/ns/net", pid);
  return stat(path, st);
}

/*
 * A spare's slirp4netns, started in its zygote's network namespace before any container claims
 * it (fork, exec and tap0's setup are a millisecond of the private network's start). Only when
 * the zygote's namespace is not ours: never the host's. Its log is an unnamed file in logdir
 * (the store's, the file system of the container dirs) until a claim names it. Best effort:
 * when anything fails, the container's start runs its own as without a spare.
 */
void net_slirp_ahead(const char *slirp, const char *logdir, pid_t zygote, struct slirp_ahead *s) {
  *s = SLIRP_AHEAD_NONE;
  char z[16];
  struct stat mine, theirs;
  snprintf(z, sizeof z, "%d", zygote);
  if (netns_of("self", &mine) < 0 || netns_of(z, &theirs) < 0 || (mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino)) return;
  if (strlen(slirp) >= sizeof s->path || (s->log = open(logdir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644)) < 0) return;
  berr_t ignored;
  s->pid = slirp_spawn(slirp, zygote, 0, s->log, &s->ready, &s->quit, &ignored);
  if (s->pid < 0 || slirp_ready(s->ready, SLIRP_AHEAD_MS) != 1) {
    net_slirp_drop(s, 1);
    return;
  }
  strcpy(s->path, slirp);
  s->netns_dev = theirs.st_dev, s->netns_ino = theirs.st_ino;
}

/*
 * Ends a slirp4netns started ahead; with wait, returns once it is reaped (its tap0 and the
 * namespace it held are gone: that takes the kernel milliseconds, so a start does not wait and
 * the monitor reaps it with its other children).
 */
void net_slirp_drop(struct slirp_ahead *s, int wait) {
  if (s == NULL) return;
  if (s->pid > 0) {
    kill(s->pid, SIGKILL);
    while (wait && waitpid(s->pid, NULL, 0) < 0 && errno == EINTR) {
    }
  }
  if (s->ready >= 0) close(s->ready);
  if (s->quit >= 0) close(s->quit);
  if (s->log >= 0) close(s->log);
  *s = SLIRP_AHEAD_NONE;
}

/* Whether the container of c wants the slirp4netns started ahead (the same program). */
int net_slirp_serves(const struct slirp_ahead *s, const config_t *c) {
  return s->pid > 0 && c->run.net.slirp != NULL && strcmp(c->run.net.slirp, s->path) == 0;
}

/*
 * Takes a slirp4netns started ahead when the container wants one and its process started in
 * the namespace it serves (1: nothing more to start); else ends it (0). Its log gets the
 * container's name for it.
 */
static int slirp_adopt(const config_t *c, pid_t pid, struct slirp_ahead *s) {
  if (s == NULL || s->pid <= 0) return 0;
  char p[16], log[4096], tmp[64];
  struct stat st;
  snprintf(p, sizeof p, "%d", pid);
  if (!net_slirp_serves(s, c) || netns_of(p, &st) < 0 || st.st_dev != s->netns_dev || st.st_ino != s->netns_ino) {
    net_slirp_drop(s, 0); /* the container is not in its namespace (spare.c): no need to wait */
    return 0;
  }
  if (waitpid(s->pid, NULL, WNOHANG) != 0) { /* it died while the spare waited (killed from outside) */
    s->pid = -1;
    net_slirp_drop(s, 0);
    return 0; /* the container's own, as without a spare: tap0 went with it */
  }
  snprintf(log, sizeof log, "%s/slirp4netns.log", c->state_dir);
  snprintf(tmp, sizeof tmp, "/proc/self/fd/%d", s->log);
  unlink(log); /* a restarted container's, from its last run */
  linkat(AT_FDCWD, tmp, AT_FDCWD, log, AT_SYMLINK_FOLLOW); /* best effort: the network is up without it */
  close(s->log);
  s->log = -1; /* ready and quit stay open for the monitor's life, as start_slirp's */
  return 1;
}

int net_setup(const config_t *c, pid_t pid, struct slirp_ahead *ahead, berr_t *e) {
  int adopted = slirp_adopt(c, pid, ahead);
  if (c->run.net.veth != NULL && net_attach_veth(c, pid, e) < 0) return -1;
  for (size_t i = 0; i < c->run.net.nextra; i++) {
    if (net_attach_extra(c, &c->run.net.extra[i], pid, e) < 0) return -1; /* the namespace dies, and its veths with it */
  }
  return c->run.net.slirp == NULL || adopted ? 0 : start_slirp(c, pid, e);
}

/* The inode of a socket bound to port in /proc/net/<file> (listening, for tcp), or 0. */
static unsigned long socket_inode(const char *file, int type, unsigned int port) {
  char path[64], line[512];
  snprintf(path, sizeof path, "/proc/net/%s", file);
  FILE *f = fopen(path, "re");
  if (f == NULL) return 0;
  unsigned long inode = 0;
  while (inode == 0 && fgets(line, sizeof line, f) != NULL) {
    char local[64];
    unsigned int state;
    unsigned long ino;
    if (sscanf(line, " %*d: %63s %*s %x %*s %*s %*s %*d %*d %lu", local, &state, &ino) != 3) continue;
    const char *colon = strrchr(local, ':');
    unsigned int p = colon == NULL ? 0 : (unsigned int)strtoul(colon + 1, NULL, 16);
    if (p == port && (type == SOCK_DGRAM || state == 0x0A /* TCP_LISTEN */)) inode = ino;
  }
  fclose(f);
  return inode;
}

/* The process with an fd on socket:[inode]: "pid 123 (nc)" into out, or nothing. */
static void inode_owner(unsigned long inode, char *out, size_t cap) {
  char want[64], path[600], link[64];
  snprintf(want, sizeof want, "socket:[%lu]", inode);
  DIR *proc = opendir("/proc");
  for (struct dirent *p; proc != NULL && out[0] == '\0' && (p = readdir(proc)) != NULL;) {
    if (p->d_name[0] < '0' || p->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%s/fd", p->d_name);
    DIR *fds = opendir(path);
    for (struct dirent *f; fds != NULL && out[0] == '\0' && (f = readdir(fds)) != NULL;) {
      snprintf(path, sizeof path, "/proc/%s/fd/%s", p->d_name, f->d_name);
      ssize_t n = readlink(path, link, sizeof link - 1);
      if (n <= 0) continue;
      link[n] = '\0';
      if (strcmp(link, want) != 0) continue;
      char comm[64] = "?";
      snprintf(path, sizeof path, "/proc/%s/comm", p->d_name);
      FILE *c = fopen(path, "re");
      if (c != NULL && fgets(comm, sizeof comm, c) != NULL) comm[strcspn(comm, "\n")] = '\0';
      if (c != NULL) fclose(c);
      snprintf(out, cap, "pid %s (%s)", p->d_name, comm);
    }
    if (fds != NULL) closedir(fds);
  }
  if (proc != NULL) closedir(proc);
}

/* Best effort: who holds a port in this network namespace, as "pid 123 (nc)", or "". */
void net_port_holder(int type, unsigned int port, char *out, size_t cap) {
  out[0] = '\0';
  const char *v4 = type == SOCK_STREAM ? "tcp" : "udp", *v6 = type == SOCK_STREAM ? "tcp6" : "udp6";
  unsigned long inode = socket_inode(v4, type, port);
  if (inode == 0) inode = socket_inode(v6, type, port);
  if (inode != 0) inode_owner(inode, out, cap);
}
