/*
 * A privileged container's /dev, as Docker's --privileged gives it: every character and block
 * device of the host, at the same path. As root each is made with mknod (same type, numbers,
 * mode and owner); in a user namespace, where mknod is refused, the host's node is bound onto
 * an empty file, as podman does rootless. The container keeps its own devpts, shm and mqueue
 * (those directories are skipped), its own /dev/console and /dev/ptmx, and the nodes already
 * there (null, zero, ...). Symlinks of the host's /dev are not copied.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "devices.h"

#define HOST_DEV "/dev"
#define MAX_DEPTH 8

static const char *const SKIPPED[] = {"pts", "shm", "mqueue", "console", "ptmx", "fd", ".lxc", ".lxd-mounts"};

static int skipped(const char *name) {
  if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 1;
  for (size_t i = 0; i < sizeof SKIPPED / sizeof SKIPPED[0]; i++) {
    if (strcmp(name, SKIPPED[i]) == 0) return 1;
  }
  return 0;
}

/* One node: made (root) or bound (user namespace); one already there is left alone. */
static int add_node(int dst, const char *name, const char *host, const struct stat *st, int bind, berr_t *e) {
  if (!bind) {
    if (mknodat(dst, name, st->st_mode, st->st_rdev) < 0) {
      return errno == EEXIST ? 0 : berr_set(e, STAGE_MOUNT, errno, "mknod /dev/%s", host + sizeof HOST_DEV);
    }
    if (fchownat(dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 || fchmodat(dst, name, st->st_mode & 07777, 0) < 0) {
      return berr_set(e, STAGE_MOUNT, errno, "give /dev/%s the host's owner and mode", host + sizeof HOST_DEV);
    }
    return 0;
  }
  int made = openat(dst, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (made < 0) return errno == EEXIST ? 0 : berr_set(e, STAGE_MOUNT, errno, "create /dev/%s", host + sizeof HOST_DEV);
  close(made);
  AUTO_FD int target = openat(dst, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  char proc[32];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", target);
  if (target < 0 || mount(host, proc, NULL, MS_BIND, NULL) < 0) {
    return berr_set(e, STAGE_MOUNT, errno, "bind the host's %s", host);
  }
  return 0;
}

static int add_dir(int dst, const char *host, int bind, int depth, berr_t *e) {
  DIR *d = opendir(host);
  if (d == NULL) return errno == EACCES ? 0 : berr_set(e, STAGE_MOUNT, errno, "list the host's %s", host);
  int r = 0;
  for (struct dirent *de; r == 0 && (de = readdir(d)) != NULL;) {
    char path[PATH_MAX];
    struct stat st;
    if ((depth == 0 && skipped(de->d_name)) || de->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", host, de->d_name);
    if (lstat(path, &st) < 0) continue; /* gone meanwhile */
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      r = add_node(dst, de->d_name, path, &st, bind, e);
    } else if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH) {
      if (mkdirat(dst, de->d_name, st.st_mode & 07777) < 0 && errno != EEXIST) {
        r = berr_set(e, STAGE_MOUNT, errno, "create the directory %s in the container", path);
        continue;
      }
      AUTO_FD int sub = openat(dst, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      r = sub < 0 ? berr_set(e, STAGE_MOUNT, errno, "open %s in the container", path) : add_dir(sub, path, bind, depth + 1, e);
    }
  }
  closedir(d);
  return r;
}

/* Gives the container's /dev (a directory fd) the host's device nodes; in_userns: bind them. */
int devices_add_host(int devdir, int in_userns, berr_t *e) {
  return add_dir(devdir, HOST_DEV, in_userns, 0, e);
}
