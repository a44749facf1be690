/*
 * A tree copy that keeps owners, modes and times: a file system job's fill of a new volume from
 * the image's files at its mount point (Docker's and Podman's volume initialisation). It runs as
 * root in a user namespace with the caller's full id map, so every owner the image has can be
 * set, and every file read whatever its mode.
 *
 * Every name is opened relative to its parent's fd with O_NOFOLLOW and no path is ever
 * resolved again: once the two starting directories are open, no symlink in either tree can
 * lead the copy elsewhere. Hard links inside the tree stay links. Device nodes are skipped
 * (mknod is refused in a user namespace); extended attributes are not copied.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fscopy.h"

#define MAX_DEPTH 512

struct link_rec {
  dev_t dev;
  ino_t ino;
  char *path; /* relative to the destination's top */
};

struct copy {
  int dst_top;
  struct link_rec *links;
  size_t nlinks, cap;
};

static int attrs(int dirfd, const char *name, const struct stat *st, const char *shown, berr_t *e) {
  struct timespec times[2] = {st->st_atim, st->st_mtim};
  if (fchownat(dirfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "set the owner of %s to %u:%u", shown, st->st_uid, st->st_gid);
  }
  /* after chown, which clears setuid and setgid; a symlink has no mode of its own */
  if (!S_ISLNK(st->st_mode) && fchmodat(dirfd, name, st->st_mode & 07777, 0) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "set the mode of %s", shown);
  }
  if (utimensat(dirfd, name, times, AT_SYMLINK_NOFOLLOW) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "set the times of %s", shown);
  }
  return 0;
}

/* A second name of an inode already copied becomes a hard link to the copy. 1: linked. */
static int link_seen(struct copy *cp, const struct stat *st, int dst, const char *name, const char *rel, berr_t *e) {
  if (st->st_nlink < 2) return 0;
  for (size_t i = 0; i < cp->nlinks; i++) {
    if (cp->links[i].dev == st->st_dev && cp->links[i].ino == st->st_ino) {
      if (linkat(cp->dst_top, cp->links[i].path, dst, name, 0) < 0) {
        return berr_set(e, STAGE_FSJOB, errno, "link %s to %s", rel, cp->links[i].path);
      }
      return 1;
    }
  }
  if (cp->nlinks == cp->cap) {
    size_t cap = cp->cap == 0 ? 64 : cp->cap * 2;
    struct link_rec *l = realloc(cp->links, cap * sizeof *l);
    if (l == NULL) return berr_set(e, STAGE_FSJOB, ENOMEM, "remember the hard links of %s", rel);
    cp->links = l, cp->cap = cap;
  }
  char *p = strdup(rel);
  if (p == NULL) return berr_set(e, STAGE_FSJOB, ENOMEM, "remember the hard links of %s", rel);
  cp->links[cp->nlinks++] = (struct link_rec){st->st_dev, st->st_ino, p};
  return 0;
}

static int copy_data(int src, const char *name, int dst, const char *rel, berr_t *e) {
  AUTO_FD int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return berr_set(e, STAGE_FSJOB, errno, "open %s", rel);
  AUTO_FD int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out < 0) return berr_set(e, STAGE_FSJOB, errno, "create %s", rel);
  char buf[65536];
  for (;;) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
    if (n == 0) return 0;
    if (n > 0) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) break;
    /* no in-kernel copy between these file systems: read and write */
    while ((n = read(in, buf, sizeof buf)) > 0) {
      for (ssize_t off = 0; off < n;) {
        ssize_t w = write(out, buf + off, (size_t)(n - off));
        if (w < 0) return berr_set(e, STAGE_FSJOB, errno, "write %s", rel);
        off += w;
      }
    }
    if (n == 0) return 0;
    break;
  }
  return berr_set(e, STAGE_FSJOB, errno, "copy %s", rel);
}

static int copy_dir(struct copy *cp, int src, int dst, const char *rel, int depth, berr_t *e);

static int copy_entry(struct copy *cp, int src, int dst, const char *name, const char *rel, int depth, berr_t *e) {
  struct stat st;
  if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return berr_set(e, STAGE_FSJOB, errno, "stat %s", rel);
  if (S_ISDIR(st.st_mode)) {
    if (mkdirat(dst, name, 0700) < 0) return berr_set(e, STAGE_FSJOB, errno, "create the directory %s", rel);
    AUTO_FD int from = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    AUTO_FD int to = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (from < 0 || to < 0) return berr_set(e, STAGE_FSJOB, errno, "open the directory %s", rel);
    if (copy_dir(cp, from, to, rel, depth + 1, e) < 0) return -1;
  } else if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX];
    ssize_t n = readlinkat(src, name, target, sizeof target - 1);
    if (n < 0) return berr_set(e, STAGE_FSJOB, errno, "read the link %s", rel);
    target[n] = '\0';
    if (symlinkat(target, dst, name) < 0) return berr_set(e, STAGE_FSJOB, errno, "create the link %s", rel);
  } else if (S_ISREG(st.st_mode)) {
    int linked = link_seen(cp, &st, dst, name, rel, e);
    if (linked != 0) return linked < 0 ? -1 : 0;
    if (copy_data(src, name, dst, rel, e) < 0) return -1;
  } else if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
    if (mknodat(dst, name, st.st_mode & S_IFMT, 0) < 0) return berr_set(e, STAGE_FSJOB, errno, "create %s", rel);
  } else {
    return 0; /* a device: a user namespace may not make one */
  }
  return attrs(dst, name, &st, rel, e);
}

static int copy_dir(struct copy *cp, int src, int dst, const char *rel, int depth, berr_t *e) {
  if (depth > MAX_DEPTH) return berr_set(e, STAGE_FSJOB, 0, "%s is nested over %d levels deep", rel, MAX_DEPTH);
  AUTO_FD int listfd = openat(src, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  DIR *d = listfd < 0 ? NULL : fdopendir(listfd);
  if (d == NULL) return berr_set(e, STAGE_FSJOB, errno, "list the directory %s", rel[0] ? rel : ".");
  listfd = -1; /* closedir closes it */
  int r = 0;
  for (struct dirent *de; r == 0 && (de = readdir(d)) != NULL;) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    char child[PATH_MAX];
    if ((size_t)snprintf(child, sizeof child, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name) >= sizeof child) {
      r = berr_set(e, STAGE_FSJOB, ENAMETOOLONG, "%s/%s", rel, de->d_name);
    } else {
      r = copy_entry(cp, src, dst, de->d_name, child, depth, e);
    }
  }
  closedir(d);
  return r;
}

/*
 * Copies what directory src holds into directory dst (which should be empty), then gives dst
 * src's owner, mode and times, as a volume takes its mount point's.
 */
int fscopy_contents(int src, int dst, berr_t *e) {
  struct copy cp = {.dst_top = dst};
  struct stat st;
  int r = copy_dir(&cp, src, dst, "", 0, e);
  for (size_t i = 0; i < cp.nlinks; i++) free(cp.links[i].path);
  free(cp.links);
  if (r < 0) return -1;
  if (fstat(src, &st) < 0) return berr_set(e, STAGE_FSJOB, errno, "stat the directory to copy");
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (fchown(dst, st.st_uid, st.st_gid) < 0 || fchmod(dst, st.st_mode & 07777) < 0 || futimens(dst, times) < 0) {
    return berr_set(e, STAGE_FSJOB, errno, "give the copy the directory's owner %u:%u and mode %o", st.st_uid,
                    st.st_gid, st.st_mode & 07777);
  }
  return 0;
}
