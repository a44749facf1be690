/*
 * Test probe, copied into test containers: "probe NAME..." makes each named call once and prints
 * "NAME ERRNO" (0 when the call succeeded), so a test asserts the exact refusal. Static, so it
 * runs in a busybox root. Calls are made with arguments that do no harm when allowed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long clone_newuser(void) {
  long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) waitpid((pid_t)pid, NULL, 0);
  return pid < 0 ? -1 : 0;
}

/* Attaching stops pid 1; detach right away so it runs on (and can reap us). */
static long ptrace_pid1(void) {
  if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) < 0) return -1;
  waitpid(1, NULL, __WALL);
  return ptrace(PTRACE_DETACH, 1, NULL, NULL);
}

/* on /dev, a tmpfs, which supports file handles (the overlay root may not) */
static long name_to_handle(void) {
  struct { struct file_handle h; unsigned char bytes[128]; } fh = {.h.handle_bytes = 128};
  int mount_id;
  return name_to_handle_at(AT_FDCWD, "/dev", &fh.h, &mount_id, 0);
}

static long open_exe(const char *path) {
  int fd = open(path, O_WRONLY);
  if (fd >= 0) close(fd);
  return fd;
}

static long call(const char *n) {
  struct timespec zero = {0, 0};
  if (!strcmp(n, "keyctl")) return syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3 /* session */, 0);
  if (!strcmp(n, "add_key")) return syscall(SYS_add_key, "user", "berth", "x", 1, -3);
  if (!strcmp(n, "init_module")) return syscall(SYS_init_module, NULL, 0, "");
  if (!strcmp(n, "finit_module")) return syscall(SYS_finit_module, -1, "", 0);
  if (!strcmp(n, "mount")) return mount("none", "/tmp", "tmpfs", 0, NULL);
  if (!strcmp(n, "umount")) return umount2("/nonexistent", 0);
  if (!strcmp(n, "unshare_user")) return unshare(CLONE_NEWUSER);
  if (!strcmp(n, "unshare_mount")) return unshare(CLONE_NEWNS);
  if (!strcmp(n, "clone_newuser")) return clone_newuser();
  if (!strcmp(n, "reboot")) return syscall(SYS_reboot, 0, 0, 0, NULL); /* bad magic: never reboots */
  if (!strcmp(n, "ptrace_pid1")) return ptrace_pid1();
  if (!strcmp(n, "open_by_handle_at")) return syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, O_RDONLY);
  if (!strcmp(n, "name_to_handle_at")) return name_to_handle();
  if (!strcmp(n, "bpf")) return syscall(SYS_bpf, 0, NULL, 0);
  if (!strcmp(n, "perf_event_open")) return syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0);
  if (!strcmp(n, "kexec_load")) return syscall(SYS_kexec_load, 0, 0, NULL, 0);
  if (!strcmp(n, "personality")) return syscall(SYS_personality, 0x0040000 /* ADDR_NO_RANDOMIZE */);
  if (!strcmp(n, "clock_settime")) return clock_settime(CLOCK_REALTIME, &zero);
  if (!strcmp(n, "iopl")) return syscall(SYS_iopl, 3);
  if (!strcmp(n, "userfaultfd")) return syscall(SYS_userfaultfd, 0);
  if (!strcmp(n, "swapon")) return syscall(SYS_swapon, "/nonexistent", 0);
  if (!strcmp(n, "x32_getpid")) return syscall(0x40000000 | SYS_getpid);
  if (!strcmp(n, "raw_socket")) return socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (!strcmp(n, "mknod")) return mknod("/tmp/probe-null", S_IFCHR | 0666, makedev(1, 3));
  if (!strcmp(n, "chown")) return close(open("/tmp/probe-owned", O_CREAT | O_WRONLY, 0644)), chown("/tmp/probe-owned", 1000, 1000);
  if (!strcmp(n, "write_self_exe")) return open_exe("/proc/self/exe");
  if (!strcmp(n, "write_pid1_exe")) return open_exe("/proc/1/exe");
  errno = EINVAL;
  fprintf(stderr, "probe: unknown call %s\n", n);
  return -1;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    errno = 0;
    long r = call(argv[i]);
    printf("%s %d\n", argv[i], r < 0 ? errno : 0);
  }
  return 0;
}
