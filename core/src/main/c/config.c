/* Parsing the config file the JVM writes (format: CONFIG.md). Pure, unit tested. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "netconf.h"

static const struct {
  const char *name;
  int resource;
} RLIMITS[] = {
    {"CPU", RLIMIT_CPU},         {"FSIZE", RLIMIT_FSIZE},       {"DATA", RLIMIT_DATA},
    {"STACK", RLIMIT_STACK},     {"CORE", RLIMIT_CORE},         {"RSS", RLIMIT_RSS},
    {"NPROC", RLIMIT_NPROC},     {"NOFILE", RLIMIT_NOFILE},     {"MEMLOCK", RLIMIT_MEMLOCK},
    {"AS", RLIMIT_AS},           {"LOCKS", RLIMIT_LOCKS},       {"SIGPENDING", RLIMIT_SIGPENDING},
    {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},       {"RTPRIO", RLIMIT_RTPRIO},
    {"RTTIME", RLIMIT_RTTIME},
};

static const struct {
  const char *name;
  int flag;
} NAMESPACES[] = {
    {"mount", CLONE_NEWNS}, {"uts", CLONE_NEWUTS}, {"ipc", CLONE_NEWIPC},      {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID},  {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP},
};

/* Appends one element to a growable array; keeps a NULL slot after the end for argv/env. */
static int push(void *arrp, size_t *n, size_t size, const void *elem, berr_t *e) {
  char **arr = arrp;
  char *grown = realloc(*arr, (*n + 2) * size);
  if (grown == NULL) return berr_set(e, STAGE_CONFIG, ENOMEM, "growing a list");
  memcpy(grown + *n * size, elem, size);
  memset(grown + (*n + 1) * size, 0, size);
  *arr = grown;
  (*n)++;
  return 0;
}

/* A decimal number up to max, digits only: 0, or -1 when s is anything else. */
int parse_number(const char *s, unsigned long max, unsigned long *out) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 10);
  if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v > max) return -1;
  *out = v;
  return 0;
}

static int parse_ulong(const char *key, const char *s, unsigned long max, unsigned long *out,
                       berr_t *e) {
  if (parse_number(s, max, out) < 0) {
    return berr_set(e, STAGE_CONFIG, 0, "config: %s \"%s\" is not a number up to %lu", key, s, max);
  }
  return 0;
}

static int parse_id(const char *key, const char *s, unsigned int *out, berr_t *e) {
  unsigned long v;
  if (parse_ulong(key, s, UINT_MAX - 1, &v, e) < 0) return -1;
  *out = (unsigned int)v;
  return 0;
}

static int parse_limit(const char *s, rlim_t *out, berr_t *e) {
  unsigned long v;
  if (strcmp(s, "unlimited") == 0) {
    *out = RLIM_INFINITY;
    return 0;
  }
  if (parse_ulong("rlimit", s, ULONG_MAX - 1, &v, e) < 0) return -1;
  *out = (rlim_t)v;
  return 0;
}

/* "NOFILE 1024 4096": name, soft, hard. */
static int parse_rlimit(char *v, config_t *c, berr_t *e) {
  char *name = strtok(v, " "), *soft = strtok(NULL, " "), *hard = strtok(NULL, " ");
  if (name == NULL || soft == NULL || hard == NULL || strtok(NULL, " ") != NULL) {
    return berr_set(e, STAGE_CONFIG, 0, "config: rlimit needs \"NAME SOFT HARD\"");
  }
  struct rlimit_rec r = {-1, 0, 0};
  for (size_t i = 0; i < sizeof RLIMITS / sizeof RLIMITS[0]; i++) {
    if (strcmp(RLIMITS[i].name, name) == 0) r.resource = RLIMITS[i].resource;
  }
  if (r.resource < 0) return berr_set(e, STAGE_CONFIG, 0, "config: unknown rlimit %s", name);
  if (parse_limit(soft, &r.soft, e) < 0 || parse_limit(hard, &r.hard, e) < 0) return -1;
  if (r.soft > r.hard) {
    return berr_set(e, STAGE_CONFIG, 0, "config: rlimit %s soft limit is above its hard limit", name);
  }
  return push(&c->proc.rlimits, &c->proc.nrlimits, sizeof r, &r, e);
}

static int parse_namespace(const char *v, config_t *c, berr_t *e) {
  for (size_t i = 0; i < sizeof NAMESPACES / sizeof NAMESPACES[0]; i++) {
    if (strcmp(NAMESPACES[i].name, v) == 0) {
      c->run.ns_flags |= NAMESPACES[i].flag;
      return 0;
    }
  }
  return berr_set(e, STAGE_CONFIG, 0, "config: unknown namespace \"%s\"", v);
}

static int parse_mount_field(const char *key, char *v, config_t *c, berr_t *e) {
  if (c->run.nmounts == 0) {
    return berr_set(e, STAGE_CONFIG, 0, "config: %s before any \"mount\" record", key);
  }
  struct mount_rec *m = &c->run.mounts[c->run.nmounts - 1];
  if (strcmp(key, "mount.source") == 0) m->source = v;
  else if (strcmp(key, "mount.dest") == 0) m->dest = v;
  else m->options = v;
  return 0;
}

static int parse_flag(const char *key, const char *v, int *out, berr_t *e) {
  if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
    return berr_set(e, STAGE_CONFIG, 0, "config: %s must be 0 or 1, not \"%s\"", key, v);
  }
  *out = v[0] == '1';
  return 0;
}

/* Splits off the first space-separated word of *rest as a number. */
static int take_number(const char *key, char **rest, unsigned long *out, berr_t *e) {
  char *sp = strchr(*rest, ' ');
  if (sp == NULL) return berr_set(e, STAGE_CONFIG, 0, "config: %s \"%s\" has too few fields", key, *rest);
  *sp = '\0';
  int r = parse_ulong(key, *rest, UINT_MAX - 1, out, e);
  *rest = sp + 1;
  return r;
}

/* "INSIDE OUTSIDE COUNT", as one line of /proc/PID/uid_map. */
static int parse_idmap(const char *key, char *v, struct idmap_rec **arr, size_t *n, berr_t *e) {
  struct idmap_rec m;
  if (take_number(key, &v, &m.inside, e) < 0 || take_number(key, &v, &m.outside, e) < 0 ||
      parse_ulong(key, v, UINT_MAX, &m.count, e) < 0) {
    return -1;
  }
  if (m.count == 0) return berr_set(e, STAGE_CONFIG, 0, "config: %s maps no ids (count 0)", key);
  return push(arr, n, sizeof m, &m, e);
}

/* "UID GID PATH": the path (relative to job.root) may hold spaces. */
static int parse_chown(char *v, config_t *c, berr_t *e) {
  struct chown_rec r;
  if (take_number("job.chown", &v, &r.uid, e) < 0 || take_number("job.chown", &v, &r.gid, e) < 0) return -1;
  r.path = v;
  return push(&c->job.chowns, &c->job.nchowns, sizeof r, &r, e);
}

/* Keys added after version 1's first set: id maps, overlay flavour, file system jobs. */
static int parse_record_more(char *key, char *v, config_t *c, berr_t *e) {
  if (strcmp(key, "uidmap") == 0) return parse_idmap(key, v, &c->uidmaps, &c->nuidmaps, e);
  if (strcmp(key, "gidmap") == 0) return parse_idmap(key, v, &c->gidmaps, &c->ngidmaps, e);
  if (strcmp(key, "rootfs.userxattr") == 0) return parse_flag(key, v, &c->rootfs.userxattr, e);
  if (strcmp(key, "rootfs.fuse") == 0) return c->rootfs.fuse = v, 0;
  if (strcmp(key, "job.root") == 0) return c->job.root = v, 0;
  if (strcmp(key, "job.chown") == 0) return parse_chown(v, c, e);
  if (strcmp(key, "job.remove") == 0) return push(&c->job.removes, &c->job.nremoves, sizeof v, &v, e);
  if (strcmp(key, "job.view") == 0) return c->job.view = v, 0;
  if (strcmp(key, "job.fill") == 0) return c->job.fill = v, 0;
  if (strcmp(key, "job.hold") == 0) return parse_flag(key, v, &c->job.hold, e);
  return berr_set(e, STAGE_CONFIG, 0, "config: unknown key \"%s\" (helper and library versions differ?)",
                  key);
}

static int parse_record(char *key, char *v, config_t *c, berr_t *e) {
  unsigned long ul;
  unsigned int id;
  if (strcmp(key, "rootfs.lower") == 0) return push(&c->rootfs.lower, &c->rootfs.nlower, sizeof v, &v, e);
  if (strcmp(key, "rootfs.upper") == 0) return c->rootfs.upper = v, 0;
  if (strcmp(key, "rootfs.work") == 0) return c->rootfs.work = v, 0;
  if (strcmp(key, "rootfs.dir") == 0) return c->rootfs.dir = v, 0;
  if (strcmp(key, "hostname") == 0) return c->run.hostname = v, 0;
  if (strcmp(key, "arg") == 0) return push(&c->proc.argv, &c->proc.nargv, sizeof v, &v, e);
  if (strcmp(key, "env") == 0) {
    if (strchr(v, '=') == NULL) {
      return berr_set(e, STAGE_CONFIG, 0, "config: env \"%s\" is not NAME=VALUE", v);
    }
    return push(&c->proc.env, &c->proc.nenv, sizeof v, &v, e);
  }
  if (strcmp(key, "cwd") == 0) return c->proc.cwd = v, 0;
  if (strcmp(key, "uid") == 0) return parse_id(key, v, &c->proc.uid, e);
  if (strcmp(key, "gid") == 0) return parse_id(key, v, &c->proc.gid, e);
  if (strcmp(key, "group") == 0) {
    if (parse_id(key, v, &id, e) < 0) return -1;
    gid_t g = id;
    return push(&c->proc.groups, &c->proc.ngroups, sizeof g, &g, e);
  }
  if (strcmp(key, "rlimit") == 0) return parse_rlimit(v, c, e);
  if (strcmp(key, "namespace") == 0) return parse_namespace(v, c, e);
  if (strcmp(key, "mount") == 0) {
    struct mount_rec m = {v, NULL, NULL, ""};
    return push(&c->run.mounts, &c->run.nmounts, sizeof m, &m, e);
  }
  if (strncmp(key, "mount.", 6) == 0 &&
      (strcmp(key + 6, "source") == 0 || strcmp(key + 6, "dest") == 0 ||
       strcmp(key + 6, "options") == 0)) {
    return parse_mount_field(key, v, c, e);
  }
  if (strcmp(key, "state_dir") == 0) return c->state_dir = v, 0;
  if (strcmp(key, "log") == 0) return c->log_path = v, 0;
  if (strcmp(key, "tty") == 0) return parse_flag(key, v, &c->proc.tty, e);
  if (strcmp(key, "stdin") == 0) return parse_flag(key, v, &c->proc.stdin_open, e);
  if (strcmp(key, "relay") == 0) return parse_flag(key, v, &c->relay, e);
  if (strcmp(key, "autoremove") == 0) return parse_flag(key, v, &c->autoremove, e);
  if (strcmp(key, "cgroup") == 0) {
    if (v[0] != '/') return berr_set(e, STAGE_CONFIG, 0, "config: cgroup \"%s\" must be an absolute path", v);
    return push(&c->run.cgroups, &c->run.ncgroups, sizeof v, &v, e);
  }
  if (strcmp(key, "tty.rows") == 0 || strcmp(key, "tty.cols") == 0) {
    if (parse_ulong(key, v, 65535, &ul, e) < 0) return -1;
    *(key[4] == 'r' ? &c->proc.tty_rows : &c->proc.tty_cols) = (unsigned short)ul;
    return 0;
  }
  if (strcmp(key, "owner_pid") == 0) {
    if (parse_ulong(key, v, INT_MAX, &ul, e) < 0) return -1;
    if (ul == 0) return berr_set(e, STAGE_CONFIG, 0, "config: owner_pid must be a process id, not 0");
    c->owner_pid = (pid_t)ul;
    return 0;
  }
  if (strcmp(key, "target_pid") == 0) {
    if (parse_ulong(key, v, INT_MAX, &ul, e) < 0) return -1;
    if (ul == 0) return berr_set(e, STAGE_CONFIG, 0, "config: target_pid must be a process id, not 0");
    c->exec.target_pid = (pid_t)ul;
    return 0;
  }
  if (strcmp(key, "cap") == 0) {
    if (strcmp(v, "none") == 0) return c->proc.caps_given = 1, 0;
    if (parse_ulong(key, v, 63, &ul, e) < 0) return -1;
    c->proc.caps_given = 1;
    c->proc.caps |= 1ULL << ul;
    return 0;
  }
  if (strcmp(key, "seccomp") == 0) return c->proc.seccomp_path = v, 0;
  if (strcmp(key, "no_new_privs") == 0) return parse_flag(key, v, &c->proc.no_new_privs, e);
  if (strcmp(key, "readonly_rootfs") == 0) return parse_flag(key, v, &c->run.readonly_rootfs, e);
  if (strcmp(key, "privileged") == 0) return parse_flag(key, v, &c->proc.privileged, e);
  if (netconf_is_key(key)) return netconf_parse(key, v, c, e);
  return parse_record_more(key, v, c, e);
}

static int require_absolute(const char *what, const char *p, berr_t *e) {
  if (p == NULL || p[0] != '/') {
    return berr_set(e, STAGE_CONFIG, 0, "config: %s must be an absolute path, got \"%s\"", what,
                    p == NULL ? "" : p);
  }
  return 0;
}

/* exec mode takes root, namespaces, hostname, mounts and network from the running container */
static int validate_exec(const config_t *c, berr_t *e) {
  const struct net_conf *n = &c->run.net;
  const struct rootfs_conf *r = &c->rootfs;
  int net = n->npublish > 0 || n->join != NULL || n->slirp != NULL || n->veth != NULL || n->bridge != NULL ||
            n->address != NULL || n->gateway != NULL || n->ip_tool != NULL;
  int root = r->dir != NULL || r->nlower > 0 || r->upper != NULL || r->work != NULL;
  if (root || c->run.ns_flags != 0 || c->run.hostname != NULL || c->run.nmounts > 0 || net) {
    return berr_set(e, STAGE_CONFIG, 0,
                    "config: with target_pid (exec) give no rootfs, namespace, hostname, mount, publish or net.*: "
                    "the process joins the running container's");
  }
  if (require_absolute("state_dir", c->state_dir, e) < 0) return -1;
  return require_absolute("cwd", c->proc.cwd, e);
}

/* A job's view: the layers (an upper and work dir to write, or none: read-only) mounted at job.view. */
static int validate_job_view(config_t *c, berr_t *e) {
  const struct rootfs_conf *r = &c->rootfs;
  if (c->job.view == NULL) {
    if (c->job.fill != NULL || c->job.hold || r->nlower > 0 || r->dir != NULL) {
      return berr_set(e, STAGE_CONFIG, 0, "config: job.fill, job.hold and rootfs.* need job.view");
    }
    return 0;
  }
  if (require_absolute("job.view", c->job.view, e) < 0) return -1;
  if (c->job.fill != NULL && require_absolute("job.fill", c->job.fill, e) < 0) return -1;
  if (r->dir != NULL || r->nlower == 0 || (r->upper == NULL) != (r->work == NULL)) {
    return berr_set(e, STAGE_CONFIG, 0, "config: job.view needs rootfs.lower records (and rootfs.upper with rootfs.work, or neither)");
  }
  for (size_t i = 0; i < r->nlower; i++) {
    if (require_absolute("rootfs.lower", r->lower[i], e) < 0) return -1;
  }
  if (r->upper != NULL &&
      (require_absolute("rootfs.upper", r->upper, e) < 0 || require_absolute("rootfs.work", r->work, e) < 0)) {
    return -1;
  }
  return r->fuse != NULL ? require_absolute("rootfs.fuse", r->fuse, e) : 0;
}

/* A job names paths relative to its root, never above it. */
static int validate_job(config_t *c, berr_t *e) {
  if (require_absolute("job.root", c->job.root, e) < 0) return -1;
  if ((c->nuidmaps == 0 || c->ngidmaps == 0) && (c->job.view == NULL || c->job.nchowns + c->job.nremoves > 0)) {
    return berr_set(e, STAGE_CONFIG, 0, "config: a job needs uidmap and gidmap records (a view alone may map the caller only)");
  }
  for (size_t i = 0; i < c->job.nchowns + c->job.nremoves; i++) {
    const char *p = i < c->job.nchowns ? c->job.chowns[i].path : c->job.removes[i - c->job.nchowns];
    if (p[0] == '/' || p[0] == '\0' || strcmp(p, "..") == 0 || strncmp(p, "../", 3) == 0 || strstr(p, "/../") != NULL) {
      return berr_set(e, STAGE_CONFIG, 0, "config: job path \"%s\" must be relative, inside job.root", p);
    }
  }
  return validate_job_view(c, e);
}

/* Keys of another program are refused, so each program reads only its own struct (and the shared ones). */
static int refuse_other_programs(const config_t *c, berr_t *e) {
  const struct job_conf *j = &c->job;
  const struct run_conf *r = &c->run;
  if (c->program != PROGRAM_JOB && (j->nchowns > 0 || j->nremoves > 0 || j->view != NULL || j->fill != NULL || j->hold)) {
    return berr_set(e, STAGE_CONFIG, 0, "config: job.chown, job.remove, job.view, job.fill and job.hold need job.root");
  }
  if (c->program == PROGRAM_JOB && (c->proc.nargv > 0 || c->state_dir != NULL || c->exec.target_pid != 0 ||
                                    r->ns_flags != 0 || r->hostname != NULL || r->nmounts > 0 || r->ncgroups > 0)) {
    return berr_set(e, STAGE_CONFIG, 0,
                    "config: a file system job (job.root) starts no process: give no arg, state_dir, target_pid, "
                    "namespace, hostname, mount or cgroup");
  }
  return 0;
}

static int validate(config_t *c, berr_t *e) {
  c->program = c->job.root != NULL ? PROGRAM_JOB : c->exec.target_pid != 0 ? PROGRAM_EXEC : PROGRAM_RUN;
  if (refuse_other_programs(c, e) < 0) return -1;
  if (c->program == PROGRAM_JOB) return validate_job(c, e);
  if (c->proc.nargv == 0) return berr_set(e, STAGE_CONFIG, 0, "config: no \"arg\": nothing to run");
  if (c->program == PROGRAM_EXEC) return validate_exec(c, e);
  if (c->rootfs.dir != NULL && (c->rootfs.nlower > 0 || c->rootfs.upper != NULL || c->rootfs.work != NULL)) {
    return berr_set(e, STAGE_CONFIG, 0, "config: give either rootfs.dir or rootfs.lower/upper/work, not both");
  }
  if (c->rootfs.dir != NULL) {
    if (require_absolute("rootfs.dir", c->rootfs.dir, e) < 0) return -1;
  } else {
    if (c->rootfs.nlower == 0) {
      return berr_set(e, STAGE_CONFIG, 0, "config: no root filesystem: give rootfs.dir or rootfs.lower");
    }
    for (size_t i = 0; i < c->rootfs.nlower; i++) {
      if (require_absolute("rootfs.lower", c->rootfs.lower[i], e) < 0) return -1;
    }
    if (require_absolute("rootfs.upper", c->rootfs.upper, e) < 0) return -1;
    if (require_absolute("rootfs.work", c->rootfs.work, e) < 0) return -1;
  }
  if (require_absolute("state_dir", c->state_dir, e) < 0) return -1;
  if (c->rootfs.fuse != NULL && require_absolute("rootfs.fuse", c->rootfs.fuse, e) < 0) return -1;
  if (c->log_path != NULL && require_absolute("log", c->log_path, e) < 0) return -1;
  if (c->proc.seccomp_path != NULL && require_absolute("seccomp", c->proc.seccomp_path, e) < 0) return -1;
  if (require_absolute("cwd", c->proc.cwd, e) < 0) return -1;
  if (c->run.hostname != NULL && (strlen(c->run.hostname) == 0 || strlen(c->run.hostname) > 64)) {
    return berr_set(e, STAGE_CONFIG, 0, "config: hostname must be 1 to 64 characters");
  }
  for (size_t i = 0; i < c->run.nmounts; i++) {
    struct mount_rec *m = &c->run.mounts[i];
    if (require_absolute("mount.dest", m->dest, e) < 0) return -1;
    if (strcmp(m->type, "bind") == 0 && require_absolute("mount.source", m->source, e) < 0) return -1;
    if (strcmp(m->type, "bind") != 0 && strcmp(m->type, "tmpfs") != 0) {
      return berr_set(e, STAGE_CONFIG, 0, "config: mount type \"%s\" is not bind or tmpfs", m->type);
    }
  }
  return netconf_validate(c, e);
}

/*
 * buf holds len bytes of NUL-terminated "key value" records. The first must be the version.
 * On success c's strings point into buf, which must outlive c.
 */
int config_parse(char *buf, size_t len, config_t *c, berr_t *e) {
  memset(c, 0, sizeof *c);
  c->proc.cwd = "/";
  c->relay = 1;
  c->proc.no_new_privs = 1;
  if (len == 0 || buf[len - 1] != '\0') {
    return berr_set(e, STAGE_CONFIG, 0, "config: empty, or the last record is not NUL-terminated");
  }
  for (char *rec = buf, *next; rec < buf + len; rec = next) {
    next = rec + strlen(rec) + 1;
    char *sp = strchr(rec, ' ');
    if (sp == NULL) return berr_set(e, STAGE_CONFIG, 0, "config: record \"%s\" has no value", rec);
    *sp = '\0';
    char *val = sp + 1;
    if (rec == buf) {
      unsigned long v;
      if (strcmp(rec, "version") != 0) {
        return berr_set(e, STAGE_CONFIG, 0, "config: the first record must be \"version\", not \"%s\"", rec);
      }
      if (parse_ulong("version", val, INT_MAX, &v, e) < 0) return -1;
      if (v != BERTH_CONFIG_VERSION) {
        return berr_set(e, STAGE_CONFIG, 0, "config: version %lu is not supported; this helper reads version %d", v,
                        BERTH_CONFIG_VERSION);
      }
      c->version = (int)v;
    } else if (parse_record(rec, val, c, e) < 0) {
      return -1;
    }
  }
  return validate(c, e);
}

int config_load(const char *path, char **buf, config_t *c, berr_t *e) {
  AUTO_FD int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) return berr_set(e, STAGE_CONFIG, errno, "config: open %s", path);
  if (st.st_size > 16 << 20) return berr_set(e, STAGE_CONFIG, 0, "config: %s is over 16 MiB", path);
  *buf = malloc((size_t)st.st_size + 1);
  if (*buf == NULL) return berr_set(e, STAGE_CONFIG, ENOMEM, "config: reading %s", path);
  size_t got = 0;
  while (got < (size_t)st.st_size) {
    ssize_t r = read(fd, *buf + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return berr_set(e, STAGE_CONFIG, errno, "config: reading %s", path);
    got += (size_t)r;
  }
  return config_parse(*buf, got, c, e);
}

void config_free(config_t *c) {
  free(c->rootfs.lower);
  free(c->run.cgroups);
  free(c->proc.argv);
  free(c->proc.env);
  free(c->proc.groups);
  free(c->proc.rlimits);
  free(c->run.mounts);
  free(c->run.net.publish);
  free(c->run.net.extra);
  free(c->proc.seccomp_filter);
  free(c->uidmaps);
  free(c->gidmaps);
  free(c->job.chowns);
  free(c->job.removes);
}
