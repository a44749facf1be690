/*
 * berth-helper JOBCONFIG with job.root: changes to files that only a user namespace with the
 * full id range may make, for an unprivileged caller. Files owned by subordinate ids can be
 * neither created nor removed by the user himself (podman needs "podman unshare" for the same).
 * The helper clones a child into a new user namespace, its parent writes the maps
 * (userns.c), and the child, root there with every capability over the mapped ids:
 *   job.chown UID GID PATH  sets the owner (host ids, translated to the namespace's),
 *                           keeping setuid/setgid bits that chown clears;
 *   job.remove PATH         removes a tree.
 * Paths are relative to job.root and resolved beneath it without following any symlink.
 * With job.view the child also has its own mount namespace, where it mounts the rootfs.*
 * file system (an image's layers, or a stopped container's) at that directory; then
 *   job.fill PATH           copies what the view has at PATH into job.root, owners kept
 *                           (a new volume, filled from its image as Docker does);
 *   job.hold 1              keeps the view mounted until the helper's stdin ends, so that the
 *                           caller can reach it at /proc/PID/root/VIEW (a stopped container's
 *                           files, for a copy in or out).
 * Status line: "BERTH1 done" ("BERTH1 started PID" first with job.hold), or
 * "BERTH1 error fsjob <errno> <message>".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "fsjob.h"
#include "config.h"
#include "fscopy.h"
#include "mount.h"
#include "ns.h"
#include "status.h"
#include "sync.h"
#include "userns.h"

#define MAX_DEPTH 512

/* An O_PATH fd of path's parent beneath root (no symlinks at all); *base is its last name. */
static int open_parent(int rootfd, const char *path, char *buf, size_t cap, const char **base, berr_t *e) {
  snprintf(buf, cap, "%s", path);
  char *slash = strrchr(buf, '/');
  *base = slash == NULL ? buf : slash + 1;
  const char *parent = slash == NULL ? "." : buf;
  if (slash != NULL) *slash = '\0';
  struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                         .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
  int fd = (int)syscall(SYS_openat2, rootfd, parent, &how, sizeof how);
  if (fd < 0) return berr_set(e, STAGE_FSJOB, errno, "open the directory of %s", path);
  return fd;
}

static int chown_one(const config_t *c, int rootfd, const struct chown_rec *r, berr_t *e) {
  char buf[PATH_MAX];
  const char *base;
  long uid = userns_to_inside(c->uidmaps, c->nuidmaps, r->uid);
  long gid = userns_to_inside(c->gidmaps, c->ngidmaps, r->gid);
  if (uid < 0 || gid < 0) {
    return berr_set(e, STAGE_FSJOB, 0, "chown %s to %lu:%lu: the id maps do not cover these ids", r->path,
                    r->uid, r->gid);
  }
  AUTO_FD int pfd = open_parent(rootfd, r->path, buf, sizeof buf, &base, e);
  struct stat st;
  if (pfd < 0) return e->err == ENOENT ? 0 : -1; /* replaced later in the same layer */
  if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
    return errno == ENOENT ? 0 : berr_set(e, STAGE_FSJOB, errno, "stat %s", r->path);
  }
  if (fchownat(pfd, base, (uid_t)uid, (gid_t)gid, AT_SYMLINK_NOFOLLOW) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "chown %s to %lu:%lu", r->path, r->uid, r->gid);
  }
  /* chown cleared setuid and setgid; the layer said they are set */
  if (!S_ISLNK(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)) && fchmodat(pfd, base, st.st_mode & 07777, 0) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "restore the mode of %s", r->path);
  }
  return 0;
}

/* Removes name in dirfd and, when a directory, everything in it; never follows a symlink. */
static int remove_at(int dirfd, const char *name, const char *shown, int depth, berr_t *e) {
  if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return 0;
  if (errno != EISDIR) return berr_set(e, STAGE_FSJOB, errno, "remove %s", shown);
  if (depth > MAX_DEPTH) return berr_set(e, STAGE_FSJOB, 0, "%s is nested over %d levels deep", shown, MAX_DEPTH);
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  DIR *d = fd < 0 ? NULL : fdopendir(fd);
  if (d == NULL) {
    int err = errno;
    if (fd >= 0) close(fd);
    return berr_set(e, STAGE_FSJOB, err, "open the directory %s", shown);
  }
  int r = 0;
  for (struct dirent *de; r == 0 && (de = readdir(d)) != NULL;) {
    if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
      r = remove_at(fd, de->d_name, shown, depth + 1, e);
    }
  }
  closedir(d);
  if (r == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
    return berr_set(e, STAGE_FSJOB, errno, "remove the directory %s", shown);
  }
  return r;
}

/* A job.remove: path beneath rootfd, and all in it; a path whose parent is absent is done. */
int fsjob_remove_one(int rootfd, const char *path, berr_t *e) {
  char buf[PATH_MAX];
  const char *base;
  AUTO_FD int pfd = open_parent(rootfd, path, buf, sizeof buf, &base, e);
  if (pfd < 0) return e->err == ENOENT ? 0 : -1; /* open_parent's berr_set may have changed errno */
  AUTO_FD int dfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return berr_set(e, STAGE_FSJOB, errno, "open the directory of %s", path);
  return remove_at(dfd, base, path, 0, e);
}

/* The view's PATH (resolved inside it: its symlinks cannot lead out) copied into job.root. */
static int fill(const config_t *c, int viewfd, int rootfd, berr_t *e) {
  const char *rel = c->job.fill;
  while (*rel == '/') rel++;
  struct open_how how = {.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  AUTO_FD int src = (int)syscall(SYS_openat2, viewfd, rel[0] == '\0' ? "." : rel, &how, sizeof how);
  if (src < 0) return errno == ENOENT || errno == ENOTDIR ? 0 : berr_set(e, STAGE_FSJOB, errno, "open %s in the view", c->job.fill);
  AUTO_FD int dst = openat(rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dst < 0) return berr_set(e, STAGE_FSJOB, errno, "open job.root %s", c->job.root);
  return fscopy_contents(src, dst, e);
}

/* Mounts the view in this (new) mount namespace, nothing of it seen outside; fills from it. */
static int view_job(const config_t *c, int rootfd, berr_t *e) {
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return berr_set(e, STAGE_FSJOB, errno, "make / a recursive slave");
  if (mkdir(c->job.view, 0700) < 0 && errno != EEXIST) return berr_set(e, STAGE_FSJOB, errno, "mkdir %s", c->job.view);
  if (mount_rootfs(&c->rootfs, c->job.view, e) < 0) return -1;
  AUTO_FD int viewfd = open(c->job.view, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (viewfd < 0) return berr_set(e, STAGE_FSJOB, errno, "open the view %s", c->job.view);
  return c->job.fill != NULL ? fill(c, viewfd, rootfd, e) : 0;
}

/* In the new user namespace, once mapped. */
static int run_job(const config_t *c, berr_t *e) {
  AUTO_FD int rootfd = open(c->job.root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) return berr_set(e, STAGE_FSJOB, errno, "open job.root %s", c->job.root);
  if (c->job.view != NULL && view_job(c, rootfd, e) < 0) return -1;
  for (size_t i = 0; i < c->job.nchowns; i++) {
    if (chown_one(c, rootfd, &c->job.chowns[i], e) < 0) return -1;
  }
  for (size_t i = 0; i < c->job.nremoves; i++) {
    if (fsjob_remove_one(rootfd, c->job.removes[i], e) < 0) return -1;
  }
  return 0;
}

/* job.hold: the child holds the view until the socket ends; it is said to be ready with its pid. */
static void hold_child(int sync, berr_t *e) {
  char c;
  if (sync_send_pid(sync, getpid(), e) < 0) return;
  while (read(sync, &c, 1) > 0) {
  }
}

/* job.hold, in the parent: "started PID", then wait for the end of stdin (or of the caller). */
static int hold_parent(pid_t pid, int sync, berr_t *e) {
  pid_t unused;
  char buf[256];
  if (sync_recv_pid(sync, &unused, e) != 0) return -1;
  status_started(pid);
  while (read(STDIN_FILENO, buf, sizeof buf) > 0) {
  }
  return 0;
}

static int run_in_userns(const config_t *c, berr_t *e) {
  int sync[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) < 0) return berr_set(e, STAGE_SPAWN, errno, "socketpair");
  /* a pid namespace too when fuse-overlayfs mounts the view: its daemon dies with the job */
  int flags = CLONE_NEWUSER | (c->job.view != NULL ? CLONE_NEWNS : 0) | (c->rootfs.fuse != NULL ? CLONE_NEWPID : 0);
  pid_t pid = ns_clone(flags, e);
  if (pid == 0) {
    close(sync[0]);
    if (sync_wait_go(sync[1], e) < 0 || run_job(c, e) < 0) {
      sync_send_error(sync[1], e);
      _exit(1);
    }
    if (c->job.hold) hold_child(sync[1], e);
    _exit(0);
  }
  close(sync[1]);
  int r = pid < 0 ? -1 : userns_write_maps(pid, c, e);
  if (r == 0) r = sync_send_go(sync[0], e);
  if (r == 0 && c->job.hold) r = hold_parent(pid, sync[0], e);
  if (r == 0) r = c->job.hold ? 0 : sync_recv(sync[0], e) == 0 ? 0 : -1;
  close(sync[0]);
  int status = 0;
  if (pid > 0) {
    if (r < 0) kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  if (r == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    return berr_set(e, STAGE_FSJOB, 0, "the job's process ended with status 0x%x", status);
  }
  return r;
}

/*
 * --rm with subordinate ids: what the container made as those ids only a namespace with the
 * same maps may remove, so the monitor removes path (absolute) as a job would.
 */
int fsjob_remove_tree(const config_t *c, const char *path, berr_t *e) {
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", path);
  char *slash = strrchr(parent, '/');
  if (path[0] != '/' || slash == NULL || slash[1] == '\0') {
    return berr_set(e, STAGE_FSJOB, 0, "remove %s: not an absolute path to a file", path);
  }
  char *base = slash + 1;
  *slash = '\0';
  config_t job = *c;
  job.program = PROGRAM_JOB;
  job.job.root = slash == parent ? "/" : parent;
  job.job.nchowns = 0;
  job.job.removes = &base;
  job.job.nremoves = 1;
  return run_in_userns(&job, e);
}

int fsjob_main(const config_t *c) {
  berr_t e;
  if (run_in_userns(c, &e) < 0) {
    status_error(&e);
    return berr_exit_code(&e);
  }
  status_word(BERTH_STATUS_DONE);
  return 0;
}
