/*
 * The container's file system, built in the child's new mount namespace: the root file
 * system (overlay or a plain directory), /proc, /dev, /sys, masked and read-only paths, the
 * configured mounts, then pivot_root.
 *
 * Every target inside the root is resolved with openat2(RESOLVE_IN_ROOT), so a symlink in
 * the image (say /etc/hosts -> /etc/shadow on the host) cannot lead a mount outside the
 * container; the mount then goes onto /proc/self/fd/N of that resolved file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#include "mount.h"
#include "config.h"
#include "devices.h"
#include "spawn.h"

#define ROOT_MOUNT_DIR "rootfs"

static const char *const MASKED_PATHS[] = {
    "/proc/acpi",        "/proc/asound", "/proc/kcore",  "/proc/keys",    "/proc/latency_stats",
    "/proc/timer_list",  "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
    "/sys/firmware",     "/sys/devices/virtual/powercap",
};
static const char *const READONLY_PATHS[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
/* The nodes every container's /dev has, with their numbers (the kernel's, fixed: devices.txt). */
static const struct {
  const char *name;
  unsigned int major, minor;
} DEVICES[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
static const char *const DEV_LINKS[][2] = {
    {"fd", "/proc/self/fd"},         {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
    {"stderr", "/proc/self/fd/2"},   {"ptmx", "pts/ptmx"},
};

static int open_beneath(int rootfd, const char *rel) {
  struct open_how how = {.flags = O_PATH | O_CLOEXEC,
                         .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
  return (int)syscall(SYS_openat2, rootfd, rel[0] == '\0' ? "." : rel, &how, sizeof how);
}

/*
 * An O_PATH fd for path inside the root. With create = S_IFDIR or S_IFREG a missing path is
 * created (parents as directories), as Docker creates missing mount points. On failure e->err
 * says why (errno may have changed since: berr_set formats the message).
 */
int mount_open_in_root(int rootfd, const char *path, mode_t create, berr_t *e) {
  while (*path == '/') path++;
  int fd = open_beneath(rootfd, path);
  if (fd >= 0 || errno != ENOENT || create == 0) {
    if (fd < 0) berr_set(e, STAGE_MOUNT, errno, "resolve /%s in the container", path);
    return fd;
  }
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", path);
  char *slash = strrchr(parent, '/');
  const char *base = slash != NULL ? slash + 1 : path;
  if (slash != NULL) *slash = '\0'; else parent[0] = '\0';
  AUTO_FD int pfd = mount_open_in_root(rootfd, parent, S_IFDIR, e);
  if (pfd < 0) return -1;
  AUTO_FD int dfd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return berr_set(e, STAGE_MOUNT, errno, "open /%s in the container", parent);
  int made = create == S_IFDIR ? mkdirat(dfd, base, 0755)
                               : openat(dfd, base, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (made < 0 && errno != EEXIST) return berr_set(e, STAGE_MOUNT, errno, "create /%s", path);
  if (create == S_IFREG && made >= 0) close(made);
  fd = open_beneath(rootfd, path);
  if (fd < 0) berr_set(e, STAGE_MOUNT, errno, "resolve /%s in the container", path);
  return fd;
}

static int do_mount_fd(int fd, const char *path, const char *src, const char *type,
                       unsigned long flags, const char *data, berr_t *e) {
  char target[32];
  snprintf(target, sizeof target, "/proc/self/fd/%d", fd);
  if (mount(src, target, type, flags, data) < 0) {
    return berr_set(e, STAGE_MOUNT, errno, "mount %s (%s) on %s", src != NULL ? src : "-",
                    type != NULL ? type : "bind", path);
  }
  return 0;
}

static int mount_at(int rootfd, const char *path, mode_t create, const char *src, const char *type,
                    unsigned long flags, const char *data, berr_t *e) {
  AUTO_FD int fd = mount_open_in_root(rootfd, path, create, e);
  if (fd < 0) return -1;
  return do_mount_fd(fd, path, src, type, flags, data, e);
}

/* Remounts the mount at path read-only, keeping the flags a user namespace may have locked. */
static int remount_ro(int rootfd, const char *path, berr_t *e) {
  AUTO_FD int fd = mount_open_in_root(rootfd, path, 0, e);
  struct statvfs sv;
  if (fd < 0) return -1;
  if (fstatvfs(fd, &sv) < 0) return berr_set(e, STAGE_MOUNT, errno, "statvfs %s", path);
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  return do_mount_fd(fd, path, NULL, NULL, flags, NULL, e);
}

static int bind_ro(int rootfd, const char *path, const char *src, mode_t create, berr_t *e) {
  if (mount_at(rootfd, path, create, src, NULL, MS_BIND | MS_REC, NULL, e) < 0) return -1;
  return remount_ro(rootfd, path, e);
}

static int append_overlay_dir(char *opts, size_t cap, const char *dir, berr_t *e) {
  if (strpbrk(dir, ",:\\") != NULL) {
    return berr_set(e, STAGE_ROOTFS, 0, "overlay layer path %s contains ',', ':' or '\\'; move the store", dir);
  }
  if (strlen(opts) + strlen(dir) + 2 > cap) {
    return berr_set(e, STAGE_ROOTFS, 0, "overlay options are over %zu bytes (too many layers for one mount)", cap);
  }
  strcat(opts, dir);
  return 0;
}

/*
 * fuse-overlayfs, for kernels that refuse overlay to a user namespace. It daemonizes once
 * mounted; the daemon lives in the container's namespaces and dies with its pid namespace.
 */
static int mount_fuse(char *program, char *opts, const char *target, berr_t *e) {
  char *argv[] = {program, "-o", opts, (char *)target, NULL};
  char said[512];
  if (spawn_wait(argv, said, sizeof said, STAGE_ROOTFS, e) < 0) return -1;
  /*
   * pivot_root moves the root of every process in the mount namespace, the daemon's too; its
   * own lookups would then go through its own mount and hang. The container moves on into a
   * copy of this namespace, leaving the daemon behind with the old root.
   */
  if (unshare(CLONE_NEWNS) < 0) return berr_set(e, STAGE_ROOTFS, errno, "leave fuse-overlayfs's mount namespace");
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) return berr_set(e, STAGE_ROOTFS, errno, "make / a slave");
  return 0;
}

/*
 * Overlay of the layers (lower[0] is the top layer) or a bind of the plain directory. Without an
 * upper dir (a file system job's view of an image) the layers are mounted read-only: one layer
 * is bound, several need no upper dir.
 */
int mount_rootfs(const struct rootfs_conf *r, const char *target, berr_t *e) {
  const char *plain = r->dir != NULL ? r->dir : r->upper == NULL && r->nlower == 1 ? r->lower[0] : NULL;
  if (plain != NULL) {
    if (mount(plain, target, NULL, MS_BIND | MS_REC, NULL) < 0) {
      return berr_set(e, STAGE_ROOTFS, errno, "bind %s on %s", plain, target);
    }
    return 0;
  }
  char opts[4096] = "lowerdir=";
  for (size_t i = 0; i < r->nlower; i++) {
    if (i > 0) strcat(opts, ":");
    if (append_overlay_dir(opts, sizeof opts, r->lower[i], e) < 0) return -1;
  }
  if (r->upper != NULL) {
    strcat(opts, ",upperdir=");
    if (append_overlay_dir(opts, sizeof opts, r->upper, e) < 0) return -1;
    strcat(opts, ",workdir=");
    if (append_overlay_dir(opts, sizeof opts, r->work, e) < 0) return -1;
  }
  if (r->userxattr) { /* layers unpacked by an unprivileged user carry user.overlay.* xattrs */
    if (strlen(opts) + sizeof ",userxattr" > sizeof opts) return berr_set(e, STAGE_ROOTFS, 0, "overlay options too long");
    strcat(opts, ",userxattr");
  }
  if (r->fuse != NULL) return mount_fuse(r->fuse, opts, target, e);
  if (mount("overlay", target, "overlay", r->upper == NULL ? MS_RDONLY : 0, opts) < 0) {
    return berr_set(e, STAGE_ROOTFS, errno, "mount overlay on %s (upper %s)", target, r->upper != NULL ? r->upper : "none");
  }
  return 0;
}

/* privileged: the host's devices too (devices.c), before devpts, shm and mqueue take their places */
/*
 * The standard nodes: made with mknod (0666, root's, as runc makes them: one system call where
 * a bind takes a file, a resolve and a mount), or, in a user namespace or where mknod is refused
 * (a devices cgroup that denies it), the host's node bound onto an empty file.
 */
static int add_devices(const config_t *c, int rootfd, int dir, berr_t *e) {
  int bind = (c->run.ns_flags & CLONE_NEWUSER) != 0;
  mode_t mask = umask(0);
  for (size_t i = 0; i < sizeof DEVICES / sizeof DEVICES[0] && !bind; i++) {
    if (mknodat(dir, DEVICES[i].name, S_IFCHR | 0666, makedev(DEVICES[i].major, DEVICES[i].minor)) == 0) continue;
    if (errno != EPERM) {
      umask(mask);
      return berr_set(e, STAGE_MOUNT, errno, "mknod /dev/%s", DEVICES[i].name);
    }
    bind = 1; /* those made stay: a bind goes onto them */
  }
  umask(mask);
  for (size_t i = 0; i < sizeof DEVICES / sizeof DEVICES[0] && bind; i++) {
    char path[32];
    snprintf(path, sizeof path, "/dev/%s", DEVICES[i].name);
    if (mount_at(rootfd, path, S_IFREG, path, NULL, MS_BIND, NULL, e) < 0) return -1;
  }
  return 0;
}

static int mount_dev(const config_t *c, int rootfd, berr_t *e) {
  unsigned long nse = MS_NOSUID | MS_NOEXEC;
  if (mount_at(rootfd, "/dev", S_IFDIR, "tmpfs", "tmpfs", MS_NOSUID | MS_STRICTATIME,
               "mode=755,size=65536k", e) < 0) return -1;
  /* the tmpfs's root, opened once: the nodes, the host's for --privileged, the links */
  AUTO_FD int devfd = mount_open_in_root(rootfd, "/dev", 0, e);
  if (devfd < 0) return -1;
  AUTO_FD int dir = openat(devfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return berr_set(e, STAGE_MOUNT, errno, "open the container's /dev");
  if (add_devices(c, rootfd, dir, e) < 0) return -1;
  if (c->proc.privileged && devices_add_host(dir, (c->run.ns_flags & CLONE_NEWUSER) != 0, e) < 0) return -1;
  const char *pts_opts = (c->run.ns_flags & CLONE_NEWUSER) ? "newinstance,ptmxmode=0666,mode=0620"
                                                       : "newinstance,ptmxmode=0666,mode=0620,gid=5";
  if (mount_at(rootfd, "/dev/pts", S_IFDIR, "devpts", "devpts", nse, pts_opts, e) < 0) return -1;
  if (mount_at(rootfd, "/dev/shm", S_IFDIR, "shm", "tmpfs", nse | MS_NODEV,
               "mode=1777,size=65536k", e) < 0) return -1;
  if (mount_at(rootfd, "/dev/mqueue", S_IFDIR, "mqueue", "mqueue", nse | MS_NODEV, NULL, e) < 0) return -1;
  for (size_t i = 0; i < sizeof DEV_LINKS / sizeof DEV_LINKS[0]; i++) {
    if (symlinkat(DEV_LINKS[i][1], dir, DEV_LINKS[i][0]) < 0) {
      return berr_set(e, STAGE_MOUNT, errno, "symlink /dev/%s", DEV_LINKS[i][0]);
    }
  }
  return 0;
}

/* Read-only unless privileged, as in Docker. */
static int mount_sys(const config_t *c, int rootfd, berr_t *e) {
  unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (c->proc.privileged ? 0 : MS_RDONLY);
  if (mount_at(rootfd, "/sys", S_IFDIR, "sysfs", "sysfs", flags, NULL, e) == 0) return 0;
  /* a user namespace that does not own the network namespace may not mount sysfs */
  if (c->proc.privileged) return mount_at(rootfd, "/sys", S_IFDIR, "/sys", NULL, MS_BIND | MS_REC, NULL, e);
  return bind_ro(rootfd, "/sys", "/sys", S_IFDIR, e);
}

/*
 * Hides kernel interfaces like Docker: files under /dev/null, directories under an empty tmpfs.
 * Only a path the image lacks (ENOENT) is skipped; any other failure to resolve one fails.
 */
int mount_mask_paths(int rootfd, berr_t *e) {
  for (size_t i = 0; i < sizeof MASKED_PATHS / sizeof MASKED_PATHS[0]; i++) {
    AUTO_FD int fd = mount_open_in_root(rootfd, MASKED_PATHS[i], 0, e);
    struct stat st;
    if (fd < 0 && e->err == ENOENT) continue; /* the image has no such path */
    if (fd < 0) return -1;
    if (fstat(fd, &st) < 0) return berr_set(e, STAGE_MOUNT, errno, "mask %s", MASKED_PATHS[i]);
    int r = S_ISDIR(st.st_mode)
                ? do_mount_fd(fd, MASKED_PATHS[i], "tmpfs", "tmpfs", MS_RDONLY, "size=0", e)
                : do_mount_fd(fd, MASKED_PATHS[i], "/dev/null", NULL, MS_BIND, NULL, e);
    if (r < 0) return -1;
  }
  for (size_t i = 0; i < sizeof READONLY_PATHS / sizeof READONLY_PATHS[0]; i++) {
    AUTO_FD int fd = mount_open_in_root(rootfd, READONLY_PATHS[i], 0, e);
    char self[32];
    if (fd < 0 && e->err == ENOENT) continue;
    if (fd < 0) return -1;
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd); /* bind the path onto itself */
    if (do_mount_fd(fd, READONLY_PATHS[i], self, NULL, MS_BIND | MS_REC, NULL, e) < 0 ||
        remount_ro(rootfd, READONLY_PATHS[i], e) < 0) {
      return -1;
    }
  }
  return 0;
}

/*
 * Docker's default propagation for binds and volumes: rprivate, so that nothing mounted later
 * under the source on the host (or under the target in the container) shows on the other side.
 */
static int make_private(int rootfd, const char *path, berr_t *e) {
  AUTO_FD int fd = mount_open_in_root(rootfd, path, 0, e);
  if (fd < 0) return -1;
  return do_mount_fd(fd, path, NULL, NULL, MS_REC | MS_PRIVATE, NULL, e);
}

static int mount_configured(const config_t *c, int rootfd, berr_t *e) {
  for (size_t i = 0; i < c->run.nmounts; i++) {
    const struct mount_rec *m = &c->run.mounts[i];
    if (strcmp(m->type, "tmpfs") == 0) {
      if (mount_at(rootfd, m->dest, S_IFDIR, "tmpfs", "tmpfs", MS_NOSUID | MS_NODEV, m->options, e) < 0)
        return -1;
      continue;
    }
    struct stat st;
    if (stat(m->source, &st) < 0) return berr_set(e, STAGE_MOUNT, errno, "bind source %s", m->source);
    mode_t kind = S_ISDIR(st.st_mode) ? S_IFDIR : S_IFREG;
    int ro = strcmp(m->options, "ro") == 0;
    if (!ro && m->options[0] != '\0' && strcmp(m->options, "rw") != 0) {
      return berr_set(e, STAGE_MOUNT, 0, "bind %s: options \"%s\" are not ro or rw", m->dest, m->options);
    }
    int r = ro ? bind_ro(rootfd, m->dest, m->source, kind, e)
               : mount_at(rootfd, m->dest, kind, m->source, NULL, MS_BIND | MS_REC, NULL, e);
    if (r < 0 || make_private(rootfd, m->dest, e) < 0) return -1;
  }
  return 0;
}

static int pivot(int rootfd, berr_t *e) {
  if (fchdir(rootfd) < 0) return berr_set(e, STAGE_PIVOT, errno, "chdir into the root");
  /* pivot_root(".", ".") stacks the old root on the new one; detaching it needs no directory */
  if (syscall(SYS_pivot_root, ".", ".") < 0) return berr_set(e, STAGE_PIVOT, errno, "pivot_root");
  if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0) {
    return berr_set(e, STAGE_PIVOT, errno, "make the old root a slave");
  }
  if (umount2(".", MNT_DETACH) < 0) return berr_set(e, STAGE_PIVOT, errno, "detach the old root");
  if (chdir("/") < 0) return berr_set(e, STAGE_PIVOT, errno, "chdir /");
  return 0;
}

int mount_container(const config_t *c, berr_t *e) {
  char target[PATH_MAX];
  /* nothing we mount may propagate back to the host */
  if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0) {
    return berr_set(e, STAGE_MOUNT, errno, "make / a recursive slave");
  }
  snprintf(target, sizeof target, "%s/%s", c->state_dir, ROOT_MOUNT_DIR);
  if (mkdir(target, 0700) < 0 && errno != EEXIST) return berr_set(e, STAGE_ROOTFS, errno, "mkdir %s", target);
  if (mount_rootfs(&c->rootfs, target, e) < 0) return -1;
  AUTO_FD int rootfd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (rootfd < 0) return berr_set(e, STAGE_ROOTFS, errno, "open %s", target);
  if (mount_at(rootfd, "/proc", S_IFDIR, "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, e) < 0 ||
      mount_dev(c, rootfd, e) < 0 || mount_sys(c, rootfd, e) < 0 ||
      (!c->proc.privileged && mount_mask_paths(rootfd, e) < 0) || mount_configured(c, rootfd, e) < 0) {
    return -1;
  }
  AUTO_FD int cwd = mount_open_in_root(rootfd, c->proc.cwd, S_IFDIR, e);
  if (cwd < 0) return e->stage = STAGE_CWD, -1;
  /* last, once mount points and the working directory exist; the mounts on it stay writable */
  if (c->run.readonly_rootfs && remount_ro(rootfd, "/", e) < 0) return e->stage = STAGE_ROOTFS, -1;
  return pivot(rootfd, e);
}
