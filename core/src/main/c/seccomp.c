/*
 * The container's seccomp filter. The JVM compiles the profile (Docker's JSON format) into a
 * classic BPF program and names its file in the config (`seccomp`); the helper reads it before
 * the root changes, and installs it as the very last step before execve, so the filter never
 * constrains the helper's own setup. Without no_new_privs the kernel demands CAP_SYS_ADMIN for
 * the install, so then it happens earlier, before the capabilities go (see creds.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "seccomp.h"
#include "config.h"

#define MAX_INSNS 4096 /* BPF_MAXINSNS */

int seccomp_load(struct process_conf *p, berr_t *e) {
  if (p->seccomp_path == NULL) return 0;
  AUTO_FD int fd = open(p->seccomp_path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) < 0) return berr_set(e, STAGE_SECCOMP, errno, "open the seccomp program %s", p->seccomp_path);
  size_t n = (size_t)st.st_size / sizeof(struct sock_filter);
  if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 || n > MAX_INSNS) {
    return berr_set(e, STAGE_SECCOMP, 0, "%s is not a BPF program of 1 to %d instructions (%lld bytes)",
                    p->seccomp_path, MAX_INSNS, (long long)st.st_size);
  }
  p->seccomp_filter = malloc((size_t)st.st_size);
  if (p->seccomp_filter == NULL) return berr_set(e, STAGE_SECCOMP, ENOMEM, "read %s", p->seccomp_path);
  for (size_t got = 0; got < (size_t)st.st_size;) {
    ssize_t r = read(fd, (char *)p->seccomp_filter + got, (size_t)st.st_size - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return berr_set(e, STAGE_SECCOMP, errno, "read %s", p->seccomp_path);
    got += (size_t)r;
  }
  p->seccomp_len = n;
  return 0;
}

int seccomp_install(const struct process_conf *p, berr_t *e) {
  if (p->seccomp_filter == NULL) return 0;
  struct sock_fprog prog = {(unsigned short)p->seccomp_len, p->seccomp_filter};
  /* TSYNC is moot (one thread); the raw call because glibc has no wrapper */
  if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
    return berr_set(e, STAGE_SECCOMP, errno, "install the seccomp filter from %s (%zu instructions)%s",
                    p->seccomp_path, p->seccomp_len,
                    errno == EACCES ? "; without no_new_privs it needs CAP_SYS_ADMIN" : "");
  }
  return 0;
}
