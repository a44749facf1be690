/* Creating the container's namespaces, and joining existing ones (exec, a shared network, the port proxy). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "ns.h"

/*
 * Like fork, but the child starts in new namespaces. One clone (not unshare + fork) so the
 * child is pid 1 of its pid namespace and there is no extra process. The raw syscall with a
 * NULL stack behaves as fork: the child runs on a copy of our stack. Safe because the helper
 * is single-threaded.
 */
pid_t ns_clone(int flags, berr_t *e) {
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    return berr_set(e, STAGE_SPAWN, errno,
                    "clone with namespaces 0x%x (does this host allow new namespaces?)", flags);
  }
  return pid;
}

#ifndef SYS_clone3
#define SYS_clone3 435 /* the same number on every architecture */
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* struct clone_args of <linux/sched.h> up to its cgroup field (CLONE_ARGS_SIZE_VER2). */
struct clone3_args {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

/*
 * ns_clone, but the child starts in the cgroup2 directory open at cgroup_fd (clone3 with
 * CLONE_INTO_CGROUP, Linux 5.7+): placing a task at fork takes only the read side of the
 * kernel's cgroup_threadgroup_rwsem, where writing its pid into cgroup.procs afterwards takes
 * the write side and waits for an RCU grace period (milliseconds). *placed says whether it
 * worked; when clone3 or the flag is refused (older kernel, seccomp, a v1 fd) this falls back
 * to a plain clone and the caller writes cgroup.procs, which then reports any real problem.
 */
pid_t ns_clone_into(int flags, int cgroup_fd, int *placed, berr_t *e) {
  *placed = 0;
  if (cgroup_fd >= 0) {
    struct clone3_args a;
    memset(&a, 0, sizeof a);
    a.flags = (uint64_t)(unsigned int)flags | CLONE_INTO_CGROUP;
    a.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD; /* CLONE_PARENT: the caller's own, as clone3 wants */
    a.cgroup = (uint64_t)cgroup_fd;
    pid_t pid = (pid_t)syscall(SYS_clone3, &a, sizeof a);
    if (pid >= 0) {
      *placed = 1;
      return pid;
    }
  }
  return ns_clone(flags, e);
}

/* clone3 with args a; the child (stack in a) runs fn(arg) and exits with what it returns; -errno. */
static long clone3_run(struct clone3_args *a, int (*fn)(void *), void *arg) {
#if defined(__x86_64__)
  register long rax __asm__("rax") = SYS_clone3;
  register long rdi __asm__("rdi") = (long)a;
  register long rsi __asm__("rsi") = (long)sizeof *a;
  register long r12 __asm__("r12") = (long)fn;
  register long r13 __asm__("r13") = (long)arg;
  __asm__ volatile("syscall\n\t"
                   "test %%rax, %%rax\n\t"
                   "jnz 1f\n\t"
                   "xor %%ebp, %%ebp\n\t" /* the child, on its stack: no frame above it */
                   "mov %%r13, %%rdi\n\t"
                   "call *%%r12\n\t"
                   "mov %%eax, %%edi\n\t"
                   "mov $60, %%eax\n\t" /* exit (this task), never returns */
                   "syscall\n\t"
                   "hlt\n"
                   "1:"
                   : "+r"(rax)
                   : "r"(rdi), "r"(rsi), "r"(r12), "r"(r13)
                   : "rcx", "r11", "memory", "cc");
  return rax;
#else /* elsewhere (aarch64: no way to run it in the tests here) the forking clone */
  (void)a, (void)fn, (void)arg;
  return -ENOSYS;
#endif
}

/*
 * ns_clone_into, but the child shares the caller's memory (CLONE_VM) and runs fn(arg) on a
 * stack of its own, never returning: no copy of the caller's page tables and none of the
 * copy-on-write faults that follow a fork (a fork took 0.8-1.3 ms on a VM whose page faults trap
 * to the host). Only for a caller that does nothing after but tell someone the pid and exit
 * (the spare's zygote): the two share errno and the heap, so the caller must not allocate
 * meanwhile, and an errno it reads after a failure may be the child's (the zygote's failure
 * paths only word their messages with it). On x86_64; elsewhere, and where clone3 is refused (before Linux 5.3,
 * a seccomp filter), it falls back to ns_clone_into, which returns 0 in the child (a copy).
 */
pid_t ns_clone_shared(int flags, int cgroup_fd, int *placed, int (*fn)(void *), void *arg, berr_t *e) {
  static char stack[1 << 20] __attribute__((aligned(64)));
  struct clone3_args a;
  memset(&a, 0, sizeof a);
  a.flags = (uint64_t)(unsigned int)flags | CLONE_VM | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
  a.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
  a.stack = (uint64_t)(uintptr_t)stack;
  a.stack_size = sizeof stack;
  a.cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0;
  long pid = clone3_run(&a, fn, arg);
  *placed = pid > 0 && cgroup_fd >= 0;
  if (pid < 0 && cgroup_fd >= 0) { /* the cgroup refused (a v1 fd, an old kernel): the caller joins it */
    a.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
    a.cgroup = 0;
    pid = clone3_run(&a, fn, arg);
  }
  /* clone3 refused outright: the forking clone, which tries the cgroup again its own way */
  return pid > 0 ? (pid_t)pid : ns_clone_into(flags, cgroup_fd, placed, e);
}

/* Writes text to a /proc file in one write(2), as uid_map and gid_map need. */
int ns_write_file(const char *path, const char *text, berr_t *e) {
  AUTO_FD int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return berr_set(e, STAGE_USERNS, errno, "open %s", path);
  if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
    return berr_set(e, STAGE_USERNS, errno, "write \"%s\" to %s", text, path);
  }
  return 0;
}

/*
 * Maps the caller's uid and gid to 0 in the child's user namespace: the single mapping an
 * unprivileged process may write itself. setgroups must be denied first for the gid map.
 */
int ns_write_idmaps(pid_t pid, uid_t uid, gid_t gid, berr_t *e) {
  char path[64], line[64];
  snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
  if (uid != 0 && ns_write_file(path, "deny", e) < 0) return -1;
  snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
  snprintf(line, sizeof line, "0 %u 1\n", uid);
  if (ns_write_file(path, line, e) < 0) return -1;
  snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
  snprintf(line, sizeof line, "0 %u 1\n", gid);
  return ns_write_file(path, line, e);
}

/* A new network namespace starts with lo down; Docker's containers have it up. */
int ns_loopback_up(berr_t *e) {
  AUTO_FD int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) return berr_set(e, STAGE_SPAWN, errno, "read the flags of lo");
  if (ifr.ifr_flags & IFF_UP) return 0; /* a spare's namespace, made ahead with lo up (spare.c) */
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) return berr_set(e, STAGE_SPAWN, errno, "bring lo up");
  return 0;
}

/*
 * The namespaces a process can join, in the order to join them (as nsenter does): user first,
 * since it grants the capabilities to join the rest; mount last, since after it /proc and every
 * path are the container's.
 */
const struct ns_kind NS_KINDS[NS_COUNT] = {
    {"user", CLONE_NEWUSER}, {"cgroup", CLONE_NEWCGROUP}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},
    {"net", CLONE_NEWNET},   {"pid", CLONE_NEWPID},       {"mnt", CLONE_NEWNS},
};

static const char *ns_name(int nstype) {
  for (size_t i = 0; i < NS_COUNT; i++) {
    if (NS_KINDS[i].flag == nstype) return NS_KINDS[i].name;
  }
  return "?";
}

/* Moves the caller into the namespace open at fd; whose says in the error which one it was. */
int ns_enter(int fd, int nstype, const char *whose, int stage, berr_t *e) {
  if (setns(fd, nstype) == 0) return 0;
  return berr_set(e, stage, errno, "join the %s namespace %s%s", ns_name(nstype), whose,
                  errno == EPERM ? " (joining needs privileges over its owner: as root, or in its user namespace)" : "");
}

/* Moves the caller into a namespace given by its file (/proc/PID/ns/net, a bind-mounted netns). */
int ns_join_path(const char *path, int nstype, int stage, berr_t *e) {
  AUTO_FD int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return berr_set(e, stage, errno, "open the namespace %s (is that container still running?)", path);
  return ns_enter(fd, nstype, path, stage, e);
}

/* Moves the caller into the namespace of type nstype (CLONE_NEW*) that process pid is in. */
int ns_join(pid_t pid, int nstype, int stage, berr_t *e) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, ns_name(nstype));
  return ns_join_path(path, nstype, stage, e);
}

/*
 * An fd of the container's mount namespace, held while it runs: when its init exits, the namespace
 * then outlives it, and the kernel's teardown of its mounts (which waits for an RCU grace period,
 * milliseconds) is not on the path between the container's exit and our reaping it. -1 when
 * /proc does not let us (the teardown then happens at the exit, as without this).
 */
int ns_hold(pid_t pid, const char *name) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, name);
  return open(path, O_RDONLY | O_CLOEXEC);
}

static int release_child(void *arg) {
  int fd = *(int *)arg;
  /* the JVM's pipes first: they must not wait for the teardown. Raw calls only: this child
   * shares our memory (and errno) while we go on */
  if ((fd > 0 && syscall(SYS_close_range, 0U, (unsigned)fd - 1, 0U) < 0) ||
      syscall(SYS_close_range, (unsigned)fd + 1, ~0U, 0U) < 0) {
    for (int other = 0; other < 1024; other++) {
      if (other != fd) syscall(SYS_close, other);
    }
  }
  syscall(SYS_close, fd); /* the teardown runs here, on this child's way back from close */
  return 0;
}

/*
 * Drops a namespace held by ns_hold in a short-lived child, so the teardown runs beside our own
 * exit instead of before it. The child shares our memory (CLONE_VM): it needs no copy of our
 * page tables, which a fork makes (ns_clone_shared says what that costs), and it touches nothing
 * of ours but its own stack and its copy of our fd table. It keeps no other fd (the JVM's pipes
 * must see end-of-file).
 */
void ns_release_later(int fd) {
  static char stack[16384] __attribute__((aligned(16)));
  static int held;
  if (fd < 0) return;
  held = fd;
  if (clone(release_child, stack + sizeof stack, CLONE_VM | SIGCHLD, &held) < 0) {
    close(fd); /* without a child the teardown happens here, as without ns_hold */
    return;
  }
  close(fd); /* ours, before the child's (it has its other fds to close first): its copy is the last;
               * should the child be quicker, the teardown happens here, as without ns_hold */
}
