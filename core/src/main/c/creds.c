/* Who the container's process is: rlimits, groups, gid, uid, capabilities, no_new_privs (unless opted out). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <stdio.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "creds.h"
#include "config.h"
#include "seccomp.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define CAP(n) (1ULL << (n))

/* Docker's default capability set. */
uint64_t creds_default_caps(void) {
  return CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_FSETID) | CAP(CAP_FOWNER) |
         CAP(CAP_MKNOD) | CAP(CAP_NET_RAW) | CAP(CAP_SETGID) | CAP(CAP_SETUID) |
         CAP(CAP_SETFCAP) | CAP(CAP_SETPCAP) | CAP(CAP_NET_BIND_SERVICE) |
         CAP(CAP_SYS_CHROOT) | CAP(CAP_KILL) | CAP(CAP_AUDIT_WRITE);
}

/* Never raises a limit: the hard limit is capped at the current one, soft at the hard. */
static int apply_rlimits(const struct process_conf *p, berr_t *e) {
  for (size_t i = 0; i < p->nrlimits; i++) {
    struct rlimit cur, want = {p->rlimits[i].soft, p->rlimits[i].hard};
    if (getrlimit(p->rlimits[i].resource, &cur) < 0) {
      return berr_set(e, STAGE_CREDS, errno, "getrlimit %d", p->rlimits[i].resource);
    }
    if (want.rlim_max > cur.rlim_max) want.rlim_max = cur.rlim_max;
    if (want.rlim_cur > want.rlim_max) want.rlim_cur = want.rlim_max;
    if (setrlimit(p->rlimits[i].resource, &want) < 0) {
      return berr_set(e, STAGE_CREDS, errno, "setrlimit %d", p->rlimits[i].resource);
    }
  }
  return 0;
}

/* One call per capability dropped (dropping one not in the set is a no-op); EINVAL: past the kernel's last. */
static int drop_bounding(uint64_t keep, berr_t *e) {
  for (int cap = 0; cap < 64; cap++) {
    if ((keep & CAP(cap)) != 0 || prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL) break;
    return berr_set(e, STAGE_CREDS, errno, "drop capability %d from the bounding set", cap);
  }
  return 0;
}

static int set_caps(uint64_t keep, berr_t *e) {
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {
      {(uint32_t)keep, (uint32_t)keep, 0},
      {(uint32_t)(keep >> 32), (uint32_t)(keep >> 32), 0},
  };
  if (syscall(SYS_capset, &head, data) < 0) return berr_set(e, STAGE_CREDS, errno, "capset");
  /* ambient stays empty, as in Docker: a non-root user gets no capabilities at exec */
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
    return berr_set(e, STAGE_CREDS, errno, "clear ambient capabilities");
  }
  return 0;
}

static int set_ids(const struct process_conf *p, berr_t *e) {
  /* a user namespace made by an unprivileged user has setgroups denied; nothing to set then */
  if (setgroups(p->ngroups, p->groups) < 0 && !(errno == EPERM && p->ngroups == 0)) {
    return berr_set(e, STAGE_CREDS, errno, "setgroups (%zu groups)", p->ngroups);
  }
  if (setresgid(p->gid, p->gid, p->gid) < 0) return berr_set(e, STAGE_CREDS, errno, "setgid %u", p->gid);
  if (setresuid(p->uid, p->uid, p->uid) < 0) return berr_set(e, STAGE_CREDS, errno, "setuid %u", p->uid);
  return 0;
}

/* The capabilities this process holds: privileged means all of these, as capset cannot add more. */
static int permitted_caps(uint64_t *out, berr_t *e) {
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &head, data) < 0) return berr_set(e, STAGE_CREDS, errno, "capget");
  *out = (uint64_t)data[1].permitted << 32 | data[0].permitted;
  return 0;
}

int creds_apply(const struct process_conf *p, berr_t *e) {
  uint64_t keep = p->caps_given ? p->caps : creds_default_caps(), have = 0;
  if (p->privileged) {
    if (permitted_caps(&have, e) < 0) return -1;
    keep &= have;
  }
  if (apply_rlimits(p, e) < 0 || drop_bounding(keep, e) < 0) return -1;
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return berr_set(e, STAGE_CREDS, errno, "keep capabilities");
  /* without no_new_privs only CAP_SYS_ADMIN may install a filter: do it while we have it */
  if (!p->no_new_privs && seccomp_install(p, e) < 0) return -1;
  if (set_ids(p, e) < 0) return -1;
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return berr_set(e, STAGE_CREDS, errno, "reset keepcaps");
  if (set_caps(keep, e) < 0) return -1;
  if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    return berr_set(e, STAGE_CREDS, errno, "no_new_privs");
  }
  return 0;
}

/*
 * Exec mode without `cap` records: the process gets what the container's process may hold (its
 * bounding set), so an exec never has more than the container (cap-drop) nor less (cap-add).
 * Read before joining, while /proc is the host's.
 */
int creds_inherit(config_t *c, berr_t *e) {
  if (c->program != PROGRAM_EXEC || c->proc.caps_given) return 0;
  char path[64], line[256];
  snprintf(path, sizeof path, "/proc/%d/status", c->exec.target_pid);
  FILE *f = fopen(path, "re");
  if (f == NULL && errno == ENOENT) {
    return berr_set(e, STAGE_JOIN, ESRCH, "the container's process %d is not running; start the container before exec",
                    c->exec.target_pid);
  }
  if (f == NULL) return berr_set(e, STAGE_JOIN, errno, "read the capabilities of the container's process %d", c->exec.target_pid);
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "CapBnd: %" SCNx64, &c->proc.caps) == 1) c->proc.caps_given = 1;
  }
  fclose(f);
  if (!c->proc.caps_given) return berr_set(e, STAGE_JOIN, 0, "no CapBnd line in %s", path);
  return 0;
}

/* Marks every fd above 2 close-on-exec, so none leaks into the container. */
int creds_close_fds(berr_t *e) {
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
  DIR *d = opendir("/proc/self/fd"); /* kernels before 5.11 */
  if (d == NULL) return berr_set(e, STAGE_CREDS, errno, "list /proc/self/fd");
  for (struct dirent *de; (de = readdir(d)) != NULL;) {
    int fd = atoi(de->d_name);
    if (fd > 2 && fd != dirfd(d)) fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  closedir(d);
  return 0;
}
