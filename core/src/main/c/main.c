/*
 * berth-helper <config>: starts one container and stays as its monitor. With target_pid in the
 * config (exec mode) it starts a process inside that running container instead (nsenter.c).
 * berth-helper --spare [--slirp SLIRP4NETNS LOGDIR] DIR...: the same, for a config whose path
 * comes later as a line on stdin (after its status pipe's), with its v1 cgroups joined, its
 * network namespace made and slirp4netns started ahead of time (spare.c, net.c); first it says
 * "BERTH1 ready".
 *
 * The JVM cannot fork and unshare safely (it is multi-threaded), so it runs this small
 * single-threaded program. It says how the start went in one status line, on the pipe the JVM
 * names with --status FIFO (status.c; stdout without it):
 *   BERTH1 started <host pid of the container's init>
 *   BERTH1 error <stage> <errno> <message>
 * stdout and stderr carry only the container's output, and the exit code is the container's.
 * On "error" it exits 125, 126 or 127 as Docker does.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "config.h"
#include "creds.h"
#include "ctl.h"
#include "exec.h"
#include "fsjob.h"
#include "json.h"
#include "monitor.h"
#include "mount.h"
#include "net.h"
#include "ns.h"
#include "nsenter.h"
#include "owner.h"
#include "proxy.h"
#include "pty.h"
#include "reap.h"
#include "seccomp.h"
#include "selfexe.h"
#include "session.h"
#include "spare.h"
#include "state.h"
#include "status.h"
#include "sync.h"
#include "userns.h"

static const int FORWARDED[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD};

static int fail(const berr_t *e) {
  status_error(e);
  return berr_exit_code(e);
}

static void reset_signals(void) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL); /* SIGPIPE was ignored by the monitor */
}

/* The pipes to the monitor; with a terminal pty_setup does this instead. */
static int setup_stdio(const struct fds *f, berr_t *e) {
  if (f->out[1] < 0) return 0;
  AUTO_FD int devnull = f->in[0] >= 0 ? -1 : open("/dev/null", O_RDONLY | O_CLOEXEC);
  int in = f->in[0] >= 0 ? f->in[0] : devnull;
  if (in < 0 || dup2(in, 0) < 0 || dup2(f->out[1], 1) < 0 || dup2(f->err[1], 2) < 0) {
    return berr_set(e, STAGE_SPAWN, errno, "set up the container's stdin, stdout and stderr");
  }
  return 0;
}

/* What only a new container needs: another's network to join, its host name, lo, its file system. */
static int container_setup(const config_t *c, berr_t *e) {
  if (c->run.net.join != NULL && ns_join_path(c->run.net.join, CLONE_NEWNET, STAGE_NETWORK, e) < 0) return -1;
  if (c->run.hostname != NULL && sethostname(c->run.hostname, strlen(c->run.hostname)) < 0) {
    return berr_set(e, STAGE_HOSTNAME, errno, "sethostname %s", c->run.hostname);
  }
  if ((c->run.ns_flags & CLONE_NEWNET) && ns_loopback_up(e) < 0) return -1;
  return mount_container(c, e);
}

static int child_setup(const config_t *c, const struct fds *f, berr_t *e) {
  reset_signals();
  if (sync_wait_go(f->sync[1], e) < 0 || setup_stdio(f, e) < 0) return -1;
  if (setsid() < 0) return berr_set(e, STAGE_SPAWN, errno, "setsid");
  if (c->program == PROGRAM_RUN && container_setup(c, e) < 0) return -1; /* exec joined a set-up one */
  if (chdir(c->proc.cwd) < 0) return berr_set(e, STAGE_CWD, errno, "chdir to the working directory %s", c->proc.cwd);
  if (sync_wait_net(f->sync[1], e) < 0) return -1; /* set up meanwhile, while the monitor wires the network */
  if (pty_setup(&c->proc, f->sync[1], e) < 0 || creds_apply(&c->proc, e) < 0 || creds_close_fds(e) < 0) return -1;
  if (c->proc.no_new_privs && seccomp_install(&c->proc, e) < 0) return -1; /* the last step: see seccomp.c */
  return exec_container(&c->proc, e);
}

/* The container's first process: set up, exec; only a failure report comes back. */
static void child_main(const config_t *c, const struct fds *f) {
  berr_t e;
  child_setup(c, f, &e);
  sync_send_error(f->sync[1], &e);
  _exit(berr_exit_code(&e));
}

static int make_fds(const config_t *c, struct fds *f, berr_t *e) {
  f->in[0] = f->in[1] = f->out[0] = f->out[1] = f->err[0] = f->err[1] = -1;
  /* with a terminal, its primary carries all three streams */
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, f->sync) < 0 ||
      (!c->proc.tty && (pipe2(f->out, O_CLOEXEC) < 0 || pipe2(f->err, O_CLOEXEC) < 0)) ||
      (c->proc.stdin_open && !c->proc.tty && pipe2(f->in, O_CLOEXEC) < 0)) {
    return berr_set(e, STAGE_SPAWN, errno, "create pipes");
  }
  return 0;
}

static int block_signals(berr_t *e) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof FORWARDED / sizeof FORWARDED[0]; i++) sigaddset(&set, FORWARDED[i]);
  /* blocked before clone so no SIGCHLD is lost; the child unblocks them */
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) return berr_set(e, STAGE_MONITOR, errno, "block signals");
  int fd = signalfd(-1, &set, SFD_CLOEXEC);
  if (fd < 0) return berr_set(e, STAGE_MONITOR, errno, "signalfd");
  return fd;
}

/*
 * After clone: map ids, join cgroups, let the child go (it sets up its mounts), meanwhile wire
 * the network (slirp4netns takes milliseconds to come up), tell the child the network is up (it
 * execs only then, so the network exists at its first instruction), take its terminal, and learn
 * whether it reached exec. An exec'd process has its container's network: net_setup and
 * proxy_start find nothing to do (config.c refuses publish and net.* with target_pid).
 */
static int await_start(const config_t *c, pid_t pid, const struct fds *f, int joined, struct spare *z, int *primary,
                       berr_t *e) {
  *primary = -1;
  if ((c->run.ns_flags & CLONE_NEWUSER) && userns_write_maps(pid, c, e) < 0) return -1;
  if (cgroup_join(c, pid, ~joined & (CGROUP_V1 | CGROUP_V2), e) < 0) return -1;
  if (sync_send_go(f->sync[0], e) < 0) return -1;
  /* while the child sets up: the control socket (a file made on the container's file system,
   * commands wait in its backlog until the monitor runs), and the zygote, which must be reaped
   * before the container's process may go (spare.c) */
  if (ctl_listen(c->state_dir, pid, -1, e) < 0) return -1;
  spare_reap(z);
  if (net_setup(c, pid, z == NULL ? NULL : &z->slirp, e) < 0 || proxy_start(c, pid, e) < 0 || sync_send_net(f->sync[0], e) < 0) {
    sync_child_failed(f->sync[0], e); /* a child that failed first (its netns gone with it) says why */
    return -1;
  }
  if (c->proc.tty && sync_recv_fd(f->sync[0], primary, e) != 0) return -1;
  ctl_set_primary(*primary);
  int r = sync_recv(f->sync[0], e);
  return r == 0 ? 0 : -1;
}

static void detach_stdio(void) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null < 0) return;
  dup2(null, STDOUT_FILENO), dup2(null, STDERR_FILENO);
  close(null);
}

static int abort_start(pid_t pid, const berr_t *e) {
  ctl_close();
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return fail(e);
}

/* The streams the monitor relays: the terminal's primary, or the pipes. */
static int monitor_fds(const config_t *c, const struct fds *f, int primary, int *out, int *err, int *in,
                       berr_t *e) {
  *out = c->proc.tty ? primary : f->out[0];
  *err = f->err[0];
  *in = c->proc.tty ? -1 : f->in[1];
  return c->proc.tty && c->proc.stdin_open ? pty_dup_primary(primary, in, e) : 0;
}

/*
 * The container's first process, which the spare's zygote or we clone; *joined says which
 * hierarchies (CGROUP_V1, CGROUP_V2) it is in already.
 */
static pid_t start_child(const config_t *c, struct spare *z, const char *path, const struct fds *f, int *joined,
                         berr_t *e) {
  *joined = 0;
  if (c->program == PROGRAM_EXEC) return nsenter_spawn(c, f->sync[1], f->sync[0], e);
  if (z != NULL) {
    *joined = CGROUP_V1 | CGROUP_V2;
    return spare_clone(z, c, path, f, e);
  }
  AUTO_FD int cg = cgroup_open_unified(c);
  int placed;
  pid_t pid = ns_clone_into(c->run.ns_flags, cg, &placed, e);
  if (placed) *joined = CGROUP_V2;
  return pid;
}

/* Starts the container of the config at path and monitors it; z: through a spare's zygote. */
static int run(const char *path, struct spare *z) {
  berr_t e;
  config_t c;
  AUTO_FREE char *buf = NULL;
  struct fds f;
  if (config_load(path, &buf, &c, &e) < 0) return fail(&e);
  if (c.program == PROGRAM_JOB) return fsjob_main(&c);
  if (z != NULL && c.program == PROGRAM_EXEC) {
    berr_set(&e, STAGE_CONFIG, 0, "config: a spare helper starts containers, not execs (target_pid)");
    return fail(&e);
  }
  if (seccomp_load(&c.proc, &e) < 0 || creds_inherit(&c, &e) < 0) return fail(&e);
  if (session_leave(&e) < 0) return fail(&e); /* a ^C or a group kill of the JVM spares us */
  signal(SIGPIPE, SIG_IGN);
  int logfd = c.log_path == NULL ? -1 : open(c.log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (c.log_path != NULL && logfd < 0) {
    berr_set(&e, STAGE_MONITOR, errno, "open the log %s", c.log_path);
    return fail(&e);
  }
  if (proxy_bind(&c, &e) < 0) return fail(&e); /* a port in use fails before anything runs */
  int sigfd = make_fds(&c, &f, &e) < 0 ? -1 : block_signals(&e);
  if (sigfd < 0) return fail(&e);
  int joined;
  pid_t pid = start_child(&c, z, path, &f, &joined, &e);
  if (pid < 0) return fail(&e);
  if (pid == 0) child_main(&c, &f);
  close(f.sync[1]), close(f.out[1]), close(f.err[1]);
  if (f.in[0] >= 0) close(f.in[0]);
  int primary, out, err, in;
  if (await_start(&c, pid, &f, joined, z, &primary, &e) < 0 || owner_watch(&c, pid, &e) < 0 ||
      monitor_fds(&c, &f, primary, &out, &err, &in, &e) < 0) {
    return abort_start(pid, &e);
  }
  close(f.sync[0]);
  char started[40];
  rfc3339nano(started, sizeof started);
  /* the state says running before the JVM hears "started", so it can read it right away */
  if (state_write(c.state_dir, "running", pid, started, NULL, 0, 0, &e) < 0) return abort_start(pid, &e);
  status_started(pid);
  status_close(); /* the JVM has its line; what follows on stdout is the container's */
  if (!c.relay) detach_stdio(); /* the JVM gets end-of-file; output goes to the log only */
  int mntns = c.program == PROGRAM_RUN && (c.run.ns_flags & CLONE_NEWNS) ? ns_hold(pid, "mnt") : -1;
  int code = monitor_run(&c, pid, started, out, err, in, sigfd, logfd);
  ns_release_later(mntns);
  ctl_close();
  /* a cgroup still there (a process in it) keeps the record that owns it: the engine's remove
   * retries it, where a record removed with it left would leave it to no one */
  int cgroups_left = cgroup_remove(&c);
  if ((c.autoremove || owner_gone()) && cgroups_left == 0 && c.state_dir != NULL && remove_tree(c.state_dir) < 0 &&
      c.nuidmaps > 0) {
    fsjob_remove_tree(&c, c.state_dir, &e); /* files the container made as subordinate ids */
  }
  config_free(&c);
  return code;
}

/* The status pipe could not be opened: the JVM finds the line on stderr, beside the exit code. */
static int fail_without_pipe(const berr_t *e) {
  berr_status_line(e, STDERR_FILENO);
  return berr_exit_code(e);
}

/*
 * --spare [--slirp SLIRP4NETNS LOGDIR] DIR...: zygote in the dirs (with slirp4netns ahead in its
 * network namespace), "ready" (on stdout: no container output yet), then the container of the
 * config whose path comes on stdin, after the path of its status pipe.
 */
static int spare_main(int argc, char **argv) {
  berr_t e;
  struct spare z;
  char status[4096], path[4096];
  int slirp = argc >= 3 && strcmp(argv[0], "--slirp") == 0 ? 3 : 0;
  if (session_leave(&e) < 0) return fail(&e);
  signal(SIGPIPE, SIG_IGN);
  if (spare_start(argv + slirp, (size_t)(argc - slirp), child_main, &z, &e) < 0) return fail(&e);
  if (slirp) net_slirp_ahead(argv[1], argv[2], z.zygote, &z.slirp);
  status_word(BERTH_STATUS_READY);
  int r = spare_await_claim(&z, status, path, sizeof path, &e);
  if (r != 0) {
    spare_discard(&z);
    return r > 0 ? 0 : fail(&e);
  }
  if (status_open(status, &e) < 0) {
    spare_discard(&z);
    return fail_without_pipe(&e);
  }
  return run(path, &z);
}

int main(int argc, char **argv) {
  berr_t e;
  if (argc >= 2 && strcmp(argv[1], "reap") == 0) return reap_main(argc - 1, argv + 1); /* reap.c */
  int status = argc >= 3 && strcmp(argv[1], "--status") == 0 ? 2 : 0; /* --status FIFO CONFIG-FILE */
  if (argc < 2 + status || (argc != 2 + status && (status || strcmp(argv[1], "--spare") != 0))) {
    berr_set(&e, STAGE_CONFIG, 0,
             "usage: %s [--status FIFO] CONFIG-FILE | --spare [--slirp SLIRP4NETNS LOGDIR] CGROUP-DIR... (the JVM runs it; see CONFIG.md)", argv[0]);
    return fail(&e);
  }
  if (selfexe_protect(argv, &e) < 0) return fail(&e);
  if (status && status_open(argv[2], &e) < 0) return fail_without_pipe(&e);
  if (strcmp(argv[1], "--spare") == 0) return spare_main(argc - 2, argv + 2);
  return run(argv[1 + status], NULL);
}
