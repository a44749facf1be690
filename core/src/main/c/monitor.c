/*
 * The monitor: the helper's parent half, outside the container (like podman's conmon). It
 * relays the container's output to the JVM and into the json-file log, feeds stdin, forwards
 * signals, reaps, and records the exit in the state file (state.c). When the JVM goes away (EPIPE) it
 * keeps logging, so a detached container runs on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ftw.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "monitor.h"
#include "cgroup.h"
#include "config.h"
#include "json.h"
#include "loop.h"
#include "proxy.h"
#include "state.h"

#define LINE_MAX_BYTES LOG_LINE_MAX
#define DRAIN_MS 200 /* after the init exits, how long to wait for writers outside its pid ns */

struct stream {
  int fd;        /* read end of the container's pipe, -1 at end-of-file */
  int out;       /* our stdout or stderr (the JVM), -1 once it is gone */
  const char *name;
  size_t len;
  char line[LINE_MAX_BYTES];
};

static void write_out(struct stream *s, const char *buf, size_t n) {
  while (s->out >= 0 && n > 0) {
    ssize_t w = write(s->out, buf, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      s->out = -1; /* the JVM is gone: keep the container and the log going */
      return;
    }
    buf += w;
    n -= (size_t)w;
  }
}

/* Logs each complete line (a full buffer counts as a line, as Docker splits long ones). */
static void log_lines(struct stream *s, int logfd, int flush) {
  size_t start = 0;
  for (size_t i = 0; i < s->len; i++) {
    if (s->line[i] == '\n') {
      json_log_line(logfd, s->name, s->line + start, i + 1 - start);
      start = i + 1;
    }
  }
  if (start < s->len && (flush || s->len == sizeof s->line)) {
    json_log_line(logfd, s->name, s->line + start, s->len - start);
    start = s->len;
  }
  memmove(s->line, s->line + start, s->len - start);
  s->len -= start;
}

static void pump(struct stream *s, int logfd) {
  ssize_t r = read(s->fd, s->line + s->len, sizeof s->line - s->len);
  if (r < 0 && (errno == EINTR || errno == EAGAIN)) return; /* a terminal's primary is shared with stdin's O_NONBLOCK */
  if (r <= 0) { /* a terminal's primary says EIO once the last replica is closed */
    log_lines(s, logfd, 1);
    close(s->fd);
    s->fd = -1;
    return;
  }
  write_out(s, s->line + s->len, (size_t)r);
  s->len += (size_t)r;
  log_lines(s, logfd, 0);
}

struct input {
  int fd; /* write end of the container's stdin, -1 when closed */
  int eof;
  size_t len;
  char buf[4096];
};

static void feed(struct input *in, short revents) {
  if (in->len == 0 && (revents & (POLLIN | POLLHUP))) {
    ssize_t r = read(STDIN_FILENO, in->buf, sizeof in->buf);
    if (r < 0 && errno == EINTR) return;
    if (r <= 0) in->eof = 1; else in->len = (size_t)r;
  }
  if (in->len > 0) {
    ssize_t w = write(in->fd, in->buf, in->len);
    if (w < 0 && errno == EAGAIN) return;
    if (w < 0) in->len = 0, in->eof = 1; /* the container closed its stdin */
    else memmove(in->buf, in->buf + w, in->len - (size_t)w), in->len -= (size_t)w;
  }
  if (in->eof && in->len == 0) close(in->fd), in->fd = -1;
}

/* Reaps; returns the container's exit code (128+signal for a signal) once init is gone. */
static int on_signal(int sigfd, pid_t pid, int *code) {
  struct signalfd_siginfo si;
  if (read(sigfd, &si, sizeof si) != sizeof si) return 0;
  if (si.ssi_signo != SIGCHLD) {
    kill(pid, (int)si.ssi_signo);
    return 0;
  }
  int status, done = 0;
  for (pid_t w; (w = waitpid(-1, &status, WNOHANG)) > 0;) {
    if (w != pid) continue;
    *code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
    done = 1;
  }
  return done;
}

int monitor_run(const config_t *c, pid_t pid, const char *started, int out, int err, int in, int sigfd,
                int logfd) {
  static struct stream so, se;
  static struct input input;
  so = (struct stream){.fd = out, .out = c->relay ? STDOUT_FILENO : -1, .name = "stdout"};
  se = (struct stream){.fd = err, .out = c->relay ? STDERR_FILENO : -1, .name = "stderr"};
  input = (struct input){.fd = in};
  if (in >= 0) fcntl(in, F_SETFL, O_NONBLOCK);
  int code = -1, exited = 0;
  while (so.fd >= 0 || se.fd >= 0 || !exited) {
    static struct pollfd p[5 + LOOP_MAX];
    p[0] = (struct pollfd){sigfd, POLLIN, 0};
    p[1] = (struct pollfd){so.fd, POLLIN, 0};
    p[2] = (struct pollfd){se.fd, POLLIN, 0};
    p[3] = (struct pollfd){input.fd >= 0 && input.len == 0 ? STDIN_FILENO : -1, POLLIN, 0};
    p[4] = (struct pollfd){input.fd >= 0 && input.len > 0 ? input.fd : -1, POLLOUT, 0};
    size_t nw = exited ? 0 : loop_fill(p + 5, LOOP_MAX); /* registered fds: see loop.c */
    int n = poll(p, 5 + nw, exited ? DRAIN_MS : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break; /* init is gone and nobody wrote for DRAIN_MS */
    if (p[0].revents) exited |= on_signal(sigfd, pid, &code);
    if (p[1].revents) pump(&so, logfd);
    if (p[2].revents) pump(&se, logfd);
    if (p[3].revents || p[4].revents) feed(&input, (short)(p[3].revents | p[4].revents));
    loop_dispatch(p + 5, nw);
  }
  proxy_stop();
  state_record_exit(c->state_dir, pid, started, code, cgroup_oom_killed(c), logfd);
  return code;
}

static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
  (void)sb, (void)ftw;
  return (type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* rm -rf without following symlinks or crossing mounts: for --rm once the container is gone. */
int remove_tree(const char *path) {
  return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}
