/*
 * Published ports, served by the monitor: it listens on the host address in the host's network
 * namespace and, for each client, opens a socket inside the container's network namespace (a
 * socket stays in the namespace it was created in) connected to 127.0.0.1:<container port>,
 * then relays both ways. No iptables, no daemon, and the same for root and rootless: as root
 * the monitor switches namespaces around socket(); in a user namespace it cannot (setns needs
 * CAP_SYS_ADMIN in its own namespace too), so a small child that joined the container's user
 * and network namespaces creates the sockets and passes them back.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>

#include "proxy.h"
#include "config.h"
#include "fdpass.h"
#include "loop.h"
#include "net.h"
#include "ns.h"

#define PIPE_BYTES (1024 * 1024) /* asked for; the kernel may give less (fs.pipe-max-size) */
#define UDP_IDLE_SECONDS 60
#define MAX_LISTENERS 64

struct udp_session {
  struct sockaddr_storage peer;
  socklen_t peer_len;
  int fd; /* connected to the container's port, inside its namespace */
  time_t last;
  struct udp_session *next;
};

struct listener {
  const struct publish_rec *p;
  int fd;
  unsigned int port; /* the bound one: differs from p->host_port when that was 0 */
  struct udp_session *sessions;
};

/* One direction of a TCP connection: spliced through a pipe, so the bytes never enter the monitor. */
struct half {
  int from, to;
  int pipe[2];
  int eof;
  size_t len, cap; /* bytes in the pipe, and its size */
};

struct conn {
  int client, inner;
  int connecting;
  struct half up, down; /* up: client to container */
};

static struct listener listeners[MAX_LISTENERS];
static size_t nlisteners;
static int host_ns = -1, inner_ns = -1; /* as root: the namespaces to switch between */
static int factory = -1;                /* in a user namespace: the socket factory's end */
static int sweep_timer = -1;

static void on_listener(void *ctx, int fd, short revents);
static void on_conn(void *ctx, int fd, short revents);
static void on_session(void *ctx, int fd, short revents);

/* --- binding, before the container exists --- */

static int sockaddr_of(const char *ip, unsigned int port, struct sockaddr_storage *ss, socklen_t *len) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET, v4->sin_port = htons((uint16_t)port), *len = sizeof *v4;
    return AF_INET;
  }
  inet_pton(AF_INET6, ip, &v6->sin6_addr);
  v6->sin6_family = AF_INET6, v6->sin6_port = htons((uint16_t)port), *len = sizeof *v6;
  return AF_INET6;
}

static const char *proto(int type) { return type == SOCK_STREAM ? "tcp" : "udp"; }

static int bind_error(const struct publish_rec *p, int err, berr_t *e) {
  char holder[128] = "";
  if (err == EADDRINUSE) net_port_holder(p->type, p->host_port, holder, sizeof holder);
  return berr_set(e, STAGE_NETWORK, err, "publish %s %s:%u%s%s%s", proto(p->type), p->host_ip, p->host_port,
                  holder[0] ? " (held by " : "", holder, holder[0] ? "; stop it, pick another host port, or 0 for a free one)"
                  : err == EADDRINUSE ? " (pick another host port, or 0 for a free one)" : "");
}

static int bind_one(struct listener *l, berr_t *e) {
  struct sockaddr_storage ss;
  socklen_t len;
  int family = sockaddr_of(l->p->host_ip, l->p->host_port, &ss, &len), one = 1;
  l->fd = socket(family, l->p->type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (l->fd < 0) return berr_set(e, STAGE_NETWORK, errno, "socket for publish %s", proto(l->p->type));
  /* lets a restarted container take its port back while old connections sit in TIME_WAIT */
  if (l->p->type == SOCK_STREAM) setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(l->fd, (struct sockaddr *)&ss, len) < 0) return bind_error(l->p, errno, e);
  if (l->p->type == SOCK_STREAM && listen(l->fd, 512) < 0) return bind_error(l->p, errno, e);
  len = sizeof ss;
  getsockname(l->fd, (struct sockaddr *)&ss, &len);
  l->port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port : ((struct sockaddr_in6 *)&ss)->sin6_port);
  return 0;
}

/* <state_dir>/ports, one "tcp 127.0.0.1 32768 80" a line, replaced atomically. */
static int write_ports(const config_t *c, berr_t *e) {
  char tmp[4096], path[4096];
  snprintf(path, sizeof path, "%s/ports", c->state_dir);
  snprintf(tmp, sizeof tmp, "%s/.ports.%d", c->state_dir, getpid());
  FILE *f = fopen(tmp, "we");
  if (f == NULL) return berr_set(e, STAGE_NETWORK, errno, "write %s", tmp);
  for (size_t i = 0; i < nlisteners; i++) {
    const struct listener *l = &listeners[i];
    fprintf(f, "%s %s %u %u\n", proto(l->p->type), l->p->host_ip, l->port, l->p->container_port);
  }
  if (fclose(f) != 0) return berr_set(e, STAGE_NETWORK, errno, "write %s", tmp);
  if (rename(tmp, path) < 0) return berr_set(e, STAGE_NETWORK, errno, "rename %s to %s", tmp, path);
  return 0;
}

/* Binds every published port, so a port in use fails the start before anything runs. */
int proxy_bind(const config_t *c, berr_t *e) {
  if (c->run.net.npublish > MAX_LISTENERS) {
    return berr_set(e, STAGE_CONFIG, 0, "config: at most %d published ports", MAX_LISTENERS);
  }
  for (size_t i = 0; i < c->run.net.npublish; i++) {
    listeners[i] = (struct listener){&c->run.net.publish[i], -1, 0, NULL};
    nlisteners = i + 1;
    if (bind_one(&listeners[i], e) < 0) return -1;
  }
  return 0;
}

/* --- sockets inside the container's network namespace --- */

static void factory_main(int sock, pid_t pid) {
  berr_t e;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  dup2(sock, 3);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int i = 0; i < 3; i++) dup2(null, i); /* the JVM must see end-of-file when the monitor ends */
  syscall(SYS_close_range, 4U, ~0U, 0U); /* above all the listeners: the host ports stay the monitor's */
  if (ns_join(pid, CLONE_NEWUSER, STAGE_NETWORK, &e) < 0 || ns_join(pid, CLONE_NEWNET, STAGE_NETWORK, &e) < 0) {
    (void)!write(3, e.msg, strlen(e.msg));
    _exit(1);
  }
  (void)!write(3, "", 1);
  for (char type; read(3, &type, 1) == 1;) {
    int s = socket(AF_INET, (type == 'u' ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    fd_send(3, &type, 1, s); /* without an fd when socket failed: the monitor then gets -1 */
    if (s >= 0) close(s);
  }
  _exit(0);
}

static int start_factory(pid_t pid, berr_t *e) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) return berr_set(e, STAGE_NETWORK, errno, "socketpair");
  pid_t child = fork();
  if (child < 0) return berr_set(e, STAGE_NETWORK, errno, "fork the socket factory");
  if (child == 0) factory_main(sv[1], pid);
  close(sv[1]);
  factory = sv[0];
  char msg[sizeof e->msg];
  ssize_t n = read(factory, msg, sizeof msg - 1);
  if (n == 1 && msg[0] == '\0') return 0;
  msg[n > 0 ? n : 0] = '\0';
  return berr_set(e, STAGE_NETWORK, 0, "the port proxy cannot enter the container's namespaces: %s", msg);
}

static int inner_socket(int type) {
  int s;
  if (factory >= 0) {
    char t = type == SOCK_DGRAM ? 'u' : 't';
    if (write(factory, &t, 1) != 1 || fd_recv(factory, &t, 1, &s) != 1) return -1;
  } else {
    if (setns(inner_ns, CLONE_NEWNET) < 0) return -1;
    s = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (setns(host_ns, CLONE_NEWNET) < 0) abort(); /* listeners must never be made in the container */
  }
  if (s >= 0) fcntl(s, F_SETFL, O_NONBLOCK);
  return s;
}

static int connect_inner(int s, unsigned int port) {
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect(s, (struct sockaddr *)&to, sizeof to);
}

/* --- TCP --- */

static void conn_close(struct conn *k) {
  loop_del(k->client);
  loop_del(k->inner);
  close(k->client);
  close(k->inner);
  for (int i = 0; i < 2; i++) {
    if (k->up.pipe[i] >= 0) close(k->up.pipe[i]);
    if (k->down.pipe[i] >= 0) close(k->down.pipe[i]);
  }
  free(k);
}

static int half_init(struct half *h, int from, int to) {
  *h = (struct half){.from = from, .to = to, .pipe = {-1, -1}};
  if (pipe2(h->pipe, O_CLOEXEC | O_NONBLOCK) < 0) return -1;
  int size = fcntl(h->pipe[1], F_SETPIPE_SZ, PIPE_BYTES);
  if (size < 0) size = fcntl(h->pipe[1], F_GETPIPE_SZ);
  h->cap = size > 0 ? (size_t)size : 65536;
  return 0;
}

/* Moves what it can without blocking; -1 when the connection is broken. */
static int half_pump(struct half *h) {
  for (int progress = 1; progress;) {
    progress = 0;
    if (!h->eof && h->len < h->cap) {
      ssize_t r = splice(h->from, NULL, h->pipe[1], NULL, h->cap - h->len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (r < 0 && errno != EAGAIN && errno != EINTR) return -1;
      if (r == 0) h->eof = 1;
      if (r > 0) h->len += (size_t)r, progress = 1;
    }
    if (h->len > 0) {
      ssize_t w = splice(h->pipe[0], NULL, h->to, NULL, h->len, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (w < 0 && errno != EAGAIN && errno != EINTR) return -1;
      if (w > 0) h->len -= (size_t)w, progress = 1;
    }
  }
  if (h->eof && h->len == 0 && h->cap > 0) {
    shutdown(h->to, SHUT_WR); /* half-close: pass the client's or the server's FIN on */
    h->cap = 0;               /* done: wants nothing more */
  }
  return 0;
}

static short wants(const struct half *reading, const struct half *writing) {
  return (short)((!reading->eof && reading->len < reading->cap ? POLLIN : 0) | (writing->len > 0 ? POLLOUT : 0));
}

static void on_conn(void *ctx, int fd, short revents) {
  struct conn *k = ctx;
  (void)fd;
  if (k->connecting) {
    int err = 0;
    socklen_t len = sizeof err;
    if (!(revents & (POLLOUT | POLLERR | POLLHUP))) return;
    getsockopt(k->inner, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return conn_close(k); /* nothing listens there: the client sees a close */
    k->connecting = 0;
  }
  if (half_pump(&k->up) < 0 || half_pump(&k->down) < 0) return conn_close(k);
  short client = wants(&k->up, &k->down), inner = wants(&k->down, &k->up);
  if (client == 0 && inner == 0) return conn_close(k); /* both directions ended */
  loop_set(k->client, client);
  loop_set(k->inner, inner);
}

static void accept_tcp(struct listener *l) {
  int client = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (client < 0) return;
  int inner = inner_socket(SOCK_STREAM);
  struct conn *k = inner < 0 ? NULL : malloc(sizeof *k);
  if (k == NULL || (connect_inner(inner, l->p->container_port) < 0 && errno != EINPROGRESS)) {
    close(client);
    if (inner >= 0) close(inner);
    free(k);
    return;
  }
  *k = (struct conn){.client = client, .inner = inner, .connecting = 1, .up.pipe = {-1, -1}, .down.pipe = {-1, -1}};
  if (half_init(&k->up, client, inner) < 0 || half_init(&k->down, inner, client) < 0) return conn_close(k);
  if (loop_add(client, 0, on_conn, k) < 0 || loop_add(inner, POLLOUT, on_conn, k) < 0) return conn_close(k);
}

/* --- UDP: one connected socket per client address, dropped when idle --- */

static void session_free(struct listener *l, struct udp_session *s) {
  for (struct udp_session **p = &l->sessions; *p != NULL; p = &(*p)->next) {
    if (*p == s) {
      *p = s->next;
      break;
    }
  }
  loop_del(s->fd);
  close(s->fd);
  free(s);
}

static struct udp_session *session_for(struct listener *l, const struct sockaddr_storage *peer, socklen_t len) {
  for (struct udp_session *s = l->sessions; s != NULL; s = s->next) {
    if (s->peer_len == len && memcmp(&s->peer, peer, len) == 0) return s;
  }
  struct udp_session *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->fd = inner_socket(SOCK_DGRAM);
  if (s->fd < 0 || connect_inner(s->fd, l->p->container_port) < 0 || loop_add(s->fd, POLLIN, on_session, l) < 0) {
    if (s->fd >= 0) close(s->fd);
    free(s);
    return NULL;
  }
  memcpy(&s->peer, peer, len);
  s->peer_len = len;
  s->next = l->sessions;
  l->sessions = s;
  return s;
}

static void relay_udp_in(struct listener *l) {
  static char buf[65536];
  struct sockaddr_storage peer;
  socklen_t len = sizeof peer;
  ssize_t n = recvfrom(l->fd, buf, sizeof buf, 0, (struct sockaddr *)&peer, &len);
  struct udp_session *s = n < 0 ? NULL : session_for(l, &peer, len);
  if (s == NULL) return;
  s->last = time(NULL);
  (void)!send(s->fd, buf, (size_t)n, 0);
}

static void on_session(void *ctx, int fd, short revents) {
  static char buf[65536];
  struct listener *l = ctx;
  (void)revents;
  for (struct udp_session *s = l->sessions; s != NULL; s = s->next) {
    if (s->fd != fd) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno != EAGAIN) return session_free(l, s); /* e.g. nothing listens: ICMP refused */
    if (n >= 0) (void)!sendto(l->fd, buf, (size_t)n, 0, (struct sockaddr *)&s->peer, s->peer_len);
    s->last = time(NULL);
    return;
  }
}

static void on_sweep(void *ctx, int fd, short revents) {
  uint64_t ticks;
  time_t now = time(NULL);
  (void)ctx, (void)revents;
  (void)!read(fd, &ticks, sizeof ticks);
  for (size_t i = 0; i < nlisteners; i++) {
    for (struct udp_session *s = listeners[i].sessions, *next; s != NULL; s = next) {
      next = s->next;
      if (now - s->last > UDP_IDLE_SECONDS) session_free(&listeners[i], s);
    }
  }
}

static void on_listener(void *ctx, int fd, short revents) {
  struct listener *l = ctx;
  (void)fd, (void)revents;
  if (l->p->type == SOCK_STREAM) accept_tcp(l);
  else relay_udp_in(l);
}

static int open_namespaces(const config_t *c, pid_t pid, berr_t *e) {
  if (c->run.ns_flags & CLONE_NEWUSER) return start_factory(pid, e);
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/net", pid);
  host_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  inner_ns = open(path, O_RDONLY | O_CLOEXEC);
  if (host_ns < 0 || inner_ns < 0) return berr_set(e, STAGE_NETWORK, errno, "open the network namespaces for the port proxy");
  return 0;
}

/* After the container started: serve the bound ports from the monitor's loop. */
int proxy_start(const config_t *c, pid_t pid, berr_t *e) {
  if (nlisteners == 0) return 0;
  if (open_namespaces(c, pid, e) < 0) return -1;
  struct itimerspec every = {{10, 0}, {10, 0}};
  sweep_timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (sweep_timer < 0 || timerfd_settime(sweep_timer, 0, &every, NULL) < 0 ||
      loop_add(sweep_timer, POLLIN, on_sweep, NULL) < 0) {
    return berr_set(e, STAGE_NETWORK, errno, "timer for the port proxy");
  }
  for (size_t i = 0; i < nlisteners; i++) loop_add(listeners[i].fd, POLLIN, on_listener, &listeners[i]);
  return write_ports(c, e);
}

/* The container is gone: close the host ports (connections end with the monitor). */
void proxy_stop(void) {
  for (size_t i = 0; i < nlisteners; i++) {
    loop_del(listeners[i].fd);
    if (listeners[i].fd >= 0) close(listeners[i].fd);
    listeners[i].fd = -1;
  }
}
