/*
 * The reaper (argv[1] "reap"), run by the remote engine as a container of its own with the
 * engine's socket mounted: the owning JVM connects over TCP, writes its filter lines and keeps
 * the connection open; once every connection has closed and none came back within the grace
 * period, the reaper removes the containers, networks and volumes the filters match and exits.
 */
#include "reap.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>

#define MAX_CLIENTS 64
#define MAX_FILTERS 32
#define QUERY_MAX (REAP_FILTER_MAX * 3 + 1)
#define PATH_MAX_ (QUERY_MAX + 128)

int reap_filter_query(const char *line, char *out, size_t cap, char *why, size_t whycap) {
  static const char hex[] = "0123456789ABCDEF";
  char json[REAP_FILTER_MAX];
  size_t j = 0, o = 0;
  const char *p = line;
  j += (size_t)snprintf(json, sizeof json, "{\"label\":[");
  for (int n = 0;; n++) {
    if (strncmp(p, "label=", 6) != 0) {
      snprintf(why, whycap, "a filter is label=KEY=VALUE, joined by &, not \"%.100s\"", p);
      return -1;
    }
    p += 6;
    size_t len = strcspn(p, "&");
    if (len == 0) {
      snprintf(why, whycap, "an empty label filter");
      return -1;
    }
    for (size_t i = 0; i < len; i++) {
      unsigned char c = (unsigned char)p[i];
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || c == '%') {
        snprintf(why, whycap, "a label filter holds byte 0x%02x (no quote, backslash, %% or control bytes)", c);
        return -1;
      }
    }
    if (j + len + 8 >= sizeof json) {
      snprintf(why, whycap, "the filter is longer than %d bytes", REAP_FILTER_MAX);
      return -1;
    }
    j += (size_t)snprintf(json + j, sizeof json - j, "%s\"%.*s\"", n ? "," : "", (int)len, p);
    p += len;
    if (*p == '\0') break;
    p++;
  }
  j += (size_t)snprintf(json + j, sizeof json - j, "]}");
  for (size_t i = 0; i < j; i++) {
    unsigned char c = (unsigned char)json[i];
    int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~';
    if (o + 4 > cap) {
      snprintf(why, whycap, "the filter is too long");
      return -1;
    }
    if (plain) {
      out[o++] = (char)c;
    } else {
      out[o++] = '%';
      out[o++] = hex[c >> 4];
      out[o++] = hex[c & 15];
    }
  }
  out[o] = '\0';
  return 0;
}

int reap_http_parse(char *buf, size_t len, int eof, int *status, char **body, size_t *bodylen) {
  char *end = memmem(buf, len, "\r\n\r\n", 4);
  if (end == NULL || len < 12 || strncmp(buf, "HTTP/1.", 7) != 0) return -1;
  *status = atoi(buf + 9);
  int chunked = 0;
  long length = -1;
  for (char *h = memchr(buf, '\n', (size_t)(end - buf)); h != NULL && h < end;
       h = memchr(h + 1, '\n', (size_t)(end - h))) {
    char *v = strchr(h + 1, ':'), *eol = memchr(h + 1, '\r', (size_t)(end + 2 - (h + 1)));
    if (v == NULL || eol == NULL || v > eol) continue;
    if (strncasecmp(h + 1, "transfer-encoding:", 18) == 0 && memmem(v, (size_t)(eol - v), "chunked", 7) != NULL)
      chunked = 1;
    if (strncasecmp(h + 1, "content-length:", 15) == 0) length = atol(v + 1);
  }
  char *b = end + 4, *stop = buf + len;
  *body = b;
  if (*status == 204 || *status == 304 || (*status >= 100 && *status < 200)) length = 0;
  if (!chunked) {
    if (length >= 0 && (size_t)(stop - b) < (size_t)length) return -1;
    if (length < 0 && !eof) return -1; /* the body ends with the connection */
    *bodylen = length >= 0 ? (size_t)length : (size_t)(stop - b);
    return 0;
  }
  for (int move = 0; move < 2; move++) { /* first check it is whole, then decode in place */
    char *in = b, *out = b;
    for (;;) {
      char *eol = memmem(in, (size_t)(stop - in), "\r\n", 2);
      if (eol == NULL) return -1;
      size_t n = strtoul(in, NULL, 16);
      in = eol + 2;
      if (n == 0) break;
      if ((size_t)(stop - in) < n + 2) return -1;
      if (move) memmove(out, in, n);
      out += n;
      in += n + 2;
    }
    *bodylen = (size_t)(out - b);
  }
  return 0;
}

int reap_next_id(const char *body, size_t len, size_t *pos, char *id, size_t cap) {
  while (*pos < len) {
    const char *k = memmem(body + *pos, len - *pos, "\"Id\"", 4);
    if (k == NULL) break;
    const char *p = k + 4, *stop = body + len;
    while (p < stop && (*p == ' ' || *p == ':')) p++;
    *pos = (size_t)(p - body);
    if (p >= stop || *p != '"') continue;
    p++;
    size_t n = 0;
    while (p + n < stop && n + 1 < cap && ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f'))) n++;
    if (n == 0 || p + n >= stop || p[n] != '"') continue;
    memcpy(id, p, n);
    id[n] = '\0';
    *pos = (size_t)(p + n - body);
    return 1;
  }
  return 0;
}

/* One request over the engine's unix socket; the response (status, body) in a malloc'd buffer. */
static int http_call(const char *sock, const char *method, const char *path, int *status, char **buf,
                     char **body, size_t *bodylen) {
  AUTO_FD int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
  if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
    fprintf(stderr, "berth reaper: cannot connect to the engine's socket %s: %s\n", sock, strerror(errno));
    return -1;
  }
  char req[PATH_MAX_ + 128];
  int n = snprintf(req, sizeof req,
                   "%s %s HTTP/1.1\r\nHost: docker\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", method, path);
  if (write(fd, req, (size_t)n) != n) return -1;
  struct timeval tv = {.tv_sec = 60};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  size_t cap = 65536, len = 0;
  char *b = malloc(cap);
  *buf = b;
  if (b == NULL) return -1;
  for (;;) { /* until the response is whole: a server may keep the connection open */
    ssize_t r = read(fd, b + len, cap - len - 1);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0) len += (size_t)r;
    b[len] = '\0';
    if (reap_http_parse(b, len, r <= 0, status, body, bodylen) == 0) break;
    if (r <= 0) {
      fprintf(stderr, "berth reaper: %s %s: no whole HTTP response from %s\n", method, path, sock);
      return -1;
    }
    if (len + 1 >= cap) {
      char *bigger = realloc(b, cap *= 2);
      if (bigger == NULL) return -1; /* the caller frees *buf */
      *buf = b = bigger;
    }
  }
  return 0;
}

static void reap_filter(const char *sock, const char *query) {
  char path[PATH_MAX_], id[128], *buf = NULL, *body;
  size_t len, pos = 0;
  int status;
  snprintf(path, sizeof path, "/containers/json?all=1&filters=%.*s", QUERY_MAX - 1, query);
  if (http_call(sock, "GET", path, &status, &buf, &body, &len) == 0 && status == 200) {
    while (reap_next_id(body, len, &pos, id, sizeof id)) {
      char *b2 = NULL, *body2;
      size_t len2;
      int s2;
      snprintf(path, sizeof path, "/containers/%s?force=true&v=true", id);
      if (http_call(sock, "DELETE", path, &s2, &b2, &body2, &len2) == 0)
        fprintf(stderr, "berth reaper: removed container %s (%d)\n", id, s2);
      free(b2);
    }
  } else {
    fprintf(stderr, "berth reaper: listing containers failed (status %d)\n", buf ? status : 0);
  }
  free(buf);
  static const char *const prunes[] = {"/networks/prune", "/volumes/prune"};
  for (size_t i = 0; i < 2; i++) {
    buf = NULL;
    snprintf(path, sizeof path, "%s?filters=%.*s", prunes[i], QUERY_MAX - 1, query);
    if (http_call(sock, "POST", path, &status, &buf, &body, &len) == 0)
      fprintf(stderr, "berth reaper: %s: %d\n", prunes[i], status);
    free(buf);
  }
}

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int reap_main(int argc, char **argv) {
  int port = 8080;
  long grace = 10, wait = 60;
  const char *sock = "/var/run/docker.sock";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--port") == 0) port = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--socket") == 0) sock = argv[i + 1];
    else if (strcmp(argv[i], "--grace") == 0) grace = atol(argv[i + 1]);
    else if (strcmp(argv[i], "--wait") == 0) wait = atol(argv[i + 1]);
    else {
      fprintf(stderr, "usage: reap [--port N] [--socket PATH] [--grace SECONDS] [--wait SECONDS]\n");
      return 2;
    }
  }
  if (argc % 2 == 0) {
    fprintf(stderr, "usage: reap [--port N] [--socket PATH] [--grace SECONDS] [--wait SECONDS]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 16) < 0) {
    fprintf(stderr, "berth reaper: cannot listen on port %d: %s\n", port, strerror(errno));
    return 1;
  }
  fprintf(stderr, "berth reaper: listening on port %d, engine socket %s, grace %lds\n", port, sock, grace);
  struct pollfd p[MAX_CLIENTS + 1] = {{.fd = l, .events = POLLIN}};
  char line[MAX_CLIENTS + 1][REAP_FILTER_MAX];
  size_t used[MAX_CLIENTS + 1] = {0};
  static char filters[MAX_FILTERS][QUERY_MAX];
  int nclients = 0, nfilters = 0;
  long deadline = now_ms() + wait * 1000; /* until the first connection, then the grace */
  for (;;) {
    int timeout = -1;
    if (nclients == 0) {
      long left = deadline - now_ms();
      if (left <= 0) break;
      timeout = (int)left;
    }
    int r = poll(p, (nfds_t)nclients + 1, timeout);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return 1;
    if (r == 0) continue;
    if (p[0].revents & POLLIN) {
      int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
      if (c >= 0 && nclients < MAX_CLIENTS) {
        nclients++;
        p[nclients] = (struct pollfd){.fd = c, .events = POLLIN};
        used[nclients] = 0;
      } else if (c >= 0) {
        close(c);
      }
    }
    for (int i = 1; i <= nclients; i++) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(p[i].fd, line[i] + used[i], sizeof line[i] - used[i] - 1);
      if (n <= 0) {
        close(p[i].fd);
        p[i] = p[nclients];
        used[i] = used[nclients];
        memcpy(line[i], line[nclients], used[nclients]);
        nclients--;
        i--;
        if (nclients == 0) deadline = now_ms() + grace * 1000;
        continue;
      }
      used[i] += (size_t)n;
      char *nl;
      while ((nl = memchr(line[i], '\n', used[i])) != NULL) {
        *nl = '\0';
        char why[256], q[sizeof filters[0]];
        const char *answer = "ACK\n";
        if (reap_filter_query(line[i], q, sizeof q, why, sizeof why) < 0) {
          fprintf(stderr, "berth reaper: refused a filter: %s\n", why);
          answer = "ERR\n";
        } else {
          int seen = 0;
          for (int f = 0; f < nfilters; f++) seen |= strcmp(filters[f], q) == 0;
          if (!seen && nfilters < MAX_FILTERS) snprintf(filters[nfilters++], sizeof filters[0], "%s", q);
          if (!seen && nfilters == MAX_FILTERS) answer = "ERR\n";
        }
        if (write(p[i].fd, answer, strlen(answer)) < 0) { /* a gone owner shows up as EOF */
        }
        size_t rest = used[i] - (size_t)(nl + 1 - line[i]);
        memmove(line[i], nl + 1, rest);
        used[i] = rest;
      }
      if (used[i] == sizeof line[i] - 1) used[i] = 0; /* an overlong line: dropped */
    }
  }
  for (int f = 0; f < nfilters; f++) reap_filter(sock, filters[f]);
  fprintf(stderr, "berth reaper: done (%d filter%s)\n", nfilters, nfilters == 1 ? "" : "s");
  return 0;
}
