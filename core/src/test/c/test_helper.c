/*
 * Unit tests for the helper's pure functions. Prints "N passed, N failed, N skipped"; exits 1 on
 * failure. build.sh runs them natively and, for the other CPU's helper, under qemu-user.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/prctl.h>
#include <linux/seccomp.h>
#include <linux/filter.h>
#include <stddef.h>
#include <time.h>
#include <linux/openat2.h>

#include "config.h"
#include "ctl.h"
#include "exec.h"
#include "fdpass.h"
#include "fscopy.h"
#include "fsjob.h"
#include "json.h"
#include "loop.h"
#include "mount.h"
#include "pty.h"
#include "reap.h"
#include "session.h"
#include "state.h"
#include "status.h"
#include "ns.h"
#include "userns.h"

static int passed, failed, skipped;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      passed++;                                                       \
    } else {                                                          \
      failed++;                                                       \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

/*
 * strerror, wrapped (build.sh links with --wrap=strerror): with strerror_errno set it leaves that
 * in errno, as POSIX lets a libc's strerror do (glibc's does not), so a caller that reads errno
 * after berr_set is caught.
 */
static int strerror_errno;
char *__real_strerror(int err);
char *__wrap_strerror(int err) {
  char *s = __real_strerror(err);
  if (strerror_errno != 0) errno = strerror_errno;
  return s;
}

/* Counts test as skipped, saying why (the emulator, then what it lacks); returns 1. */
static int skip(const char *test, const char *emulator, const char *why) {
  printf("SKIP %s: %s %s\n", test, emulator, why);
  skipped++;
  return 1;
}

/*
 * qemu-user before 9.0 does not emulate openat2 (ENOSYS). Under it, which build.sh says in
 * BERTH_C_TESTS_EMULATOR, a test that needs openat2 is skipped and counted; natively (no
 * emulator) it always runs, so a kernel without openat2 fails it there.
 */
static int openat2_missing_in_emulator(const char *test) {
  const char *emulator = getenv("BERTH_C_TESTS_EMULATOR");
  if (emulator == NULL) return 0;
  struct open_how how = {.flags = O_PATH | O_CLOEXEC};
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
  if (fd >= 0) {
    close(fd);
    return 0;
  }
  if (errno != ENOSYS) return 0;
  return skip(test, emulator, "does not emulate openat2");
}

/* Parses the records given as one string with '|' standing for the NUL separators. */
static int parse(const char *records, config_t *c, berr_t *e) {
  static char buf[4096];
  size_t n = strlen(records);
  memcpy(buf, records, n + 1);
  for (size_t i = 0; i < n; i++) if (buf[i] == '|') buf[i] = '\0';
  buf[n] = '\0';
  return config_parse(buf, n + 1, c, e);
}

#define BASE "version 1|rootfs.dir /r|state_dir /s|arg sh|"

static void config_fullOverlayConfig_parsesEveryField(void) {
  config_t c;
  berr_t e;
  int r = parse("version 1|rootfs.lower /top|rootfs.lower /bottom|rootfs.upper /u|rootfs.work /w|"
                "state_dir /s|log /s/log|hostname box|arg sh|arg -c|arg echo a b|env A=1|cwd /app|"
                "uid 1000|gid 100|group 10|group 11|rlimit NOFILE 1024 unlimited|namespace pid|"
                "namespace mount|mount bind|mount.source /h|mount.dest /etc/hosts|mount.options ro|"
                "tty 0|stdin 1|cap 0",
                &c, &e);
  CHECK(r == 0);
  CHECK(c.rootfs.nlower == 2 && strcmp(c.rootfs.lower[0], "/top") == 0 && strcmp(c.rootfs.lower[1], "/bottom") == 0);
  CHECK(c.proc.nargv == 3 && strcmp(c.proc.argv[2], "echo a b") == 0 && c.proc.argv[3] == NULL);
  CHECK(c.proc.nenv == 1 && c.proc.env[1] == NULL);
  CHECK(c.proc.uid == 1000 && c.proc.gid == 100 && c.proc.ngroups == 2 && c.proc.groups[1] == 11);
  CHECK(c.proc.nrlimits == 1 && c.proc.rlimits[0].soft == 1024 && c.proc.rlimits[0].hard == RLIM_INFINITY);
  CHECK(c.run.ns_flags == (CLONE_NEWPID | CLONE_NEWNS));
  CHECK(c.run.nmounts == 1 && strcmp(c.run.mounts[0].dest, "/etc/hosts") == 0 && strcmp(c.run.mounts[0].options, "ro") == 0);
  CHECK(c.proc.stdin_open == 1 && c.proc.tty == 0 && c.proc.caps_given && c.proc.caps == 1);
  CHECK(strcmp(c.proc.cwd, "/app") == 0 && strcmp(c.run.hostname, "box") == 0);
  config_free(&c);
}

static void config_ownerPid_isParsed(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "owner_pid 4242", &c, &e) == 0 && c.owner_pid == 4242);
  config_free(&c);
}

/* Which program a config drives follows from job.root and target_pid, wherever they stand. */
static void config_program_followsJobRootOrTargetPid(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "uid 0", &c, &e) == 0 && c.program == PROGRAM_RUN);
  config_free(&c);
  CHECK(parse("version 1|arg ps|state_dir /s/exec/1|target_pid 7", &c, &e) == 0 && c.program == PROGRAM_EXEC);
  config_free(&c);
  CHECK(parse("version 1|job.remove a|job.root /r|uidmap 0 1000 1|gidmap 0 1000 1", &c, &e) == 0 && c.program == PROGRAM_JOB);
  config_free(&c);
}

static void config_noCwd_defaultsToRoot(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "uid 0", &c, &e) == 0 && strcmp(c.proc.cwd, "/") == 0);
  config_free(&c);
}

/* Expects the records to be refused with a message containing want. */
static void expect_error(const char *records, const char *want) {
  config_t c;
  berr_t e;
  int r = parse(records, &c, &e);
  CHECK(r == -1);
  CHECK(e.stage == STAGE_CONFIG);
  if (strstr(e.msg, want) == NULL) {
    failed++;
    fprintf(stderr, "FAIL: \"%s\" not in \"%s\"\n", want, e.msg);
  }
  config_free(&c);
}

static void config_badInput_isRefusedWithReason(void) {
  expect_error("version 2|" , "version 2 is not supported");
  expect_error("arg sh|version 1", "first record must be \"version\"");
  expect_error(BASE "colour blue", "unknown key \"colour\"");
  expect_error("version 1|rootfs.dir /r|state_dir /s", "nothing to run");
  expect_error(BASE "env NOEQUALS", "is not NAME=VALUE");
  expect_error(BASE "uid -1", "uid \"-1\" is not a number");
  expect_error(BASE "uid 12x", "uid \"12x\" is not a number");
  expect_error(BASE "rlimit NOFILE 10", "needs \"NAME SOFT HARD\"");
  expect_error(BASE "rlimit FOO 1 1", "unknown rlimit FOO");
  expect_error(BASE "rlimit NOFILE 10 5", "soft limit is above");
  expect_error(BASE "namespace time", "unknown namespace \"time\"");
  expect_error(BASE "mount.dest /x", "before any \"mount\"");
  expect_error(BASE "mount nfs|mount.dest /x", "is not bind or tmpfs");
  expect_error(BASE "cwd relative", "cwd must be an absolute path");
  expect_error(BASE "tty yes", "tty must be 0 or 1");
  expect_error(BASE "rootfs.lower /l", "not both");
  expect_error("version 1|rootfs.lower /l|rootfs.upper /u|state_dir /s|arg sh", "rootfs.work must be");
  expect_error(BASE "novalue", "has no value");
  expect_error(BASE "tty.rows 65536", "tty.rows \"65536\" is not a number up to 65535");
  expect_error(BASE "target_pid 0", "target_pid must be a process id");
  expect_error(BASE "owner_pid 0", "owner_pid must be a process id");
  expect_error(BASE "owner_pid jvm", "owner_pid \"jvm\" is not a number");
  expect_error(BASE "target_pid 12", "with target_pid (exec) give no rootfs");
  expect_error("version 1|state_dir /s|target_pid 12|arg sh|namespace pid", "give no rootfs, namespace");
  expect_error("version 1|state_dir rel|target_pid 12|arg sh", "state_dir must be an absolute path");
  expect_error("version 1|state_dir /s|target_pid 12|arg sh|publish tcp 127.0.0.1 0 80", "publish or net.*");
  expect_error("version 1|state_dir /s|target_pid 12|arg sh|net.join /proc/1/ns/net", "publish or net.*");
}

static void config_tty_parsesSize(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "tty 1|tty.rows 40|tty.cols 120", &c, &e) == 0);
  CHECK(c.proc.tty == 1 && c.proc.tty_rows == 40 && c.proc.tty_cols == 120);
  config_free(&c);
}

static void config_exec_needsNoRootfs(void) {
  config_t c;
  berr_t e;
  CHECK(parse("version 1|state_dir /s/exec/1|target_pid 4242|arg ps|uid 5", &c, &e) == 0);
  CHECK(c.exec.target_pid == 4242 && c.proc.uid == 5 && c.rootfs.dir == NULL && c.rootfs.nlower == 0);
  config_free(&c);
}

static void ctl_parse_validCommands_areParsed(void) {
  struct ctl_cmd cmd;
  berr_t e;
  CHECK(ctl_parse("resize 40 120", &cmd, &e) == 0 && cmd.op == CTL_RESIZE && cmd.a == 40 && cmd.b == 120);
  CHECK(ctl_parse("signal 15", &cmd, &e) == 0 && cmd.op == CTL_SIGNAL && cmd.a == 15);
}

static void ctl_expect_error(const char *line, const char *want) {
  struct ctl_cmd cmd;
  berr_t e;
  CHECK(ctl_parse(line, &cmd, &e) == -1);
  if (strstr(e.msg, want) == NULL) {
    failed++;
    fprintf(stderr, "FAIL: \"%s\" not in \"%s\"\n", want, e.msg);
  }
}

static void ctl_parse_badCommands_areRefusedWithReason(void) {
  ctl_expect_error("", "unknown command \"\"");
  ctl_expect_error("reboot", "unknown command \"reboot\"; use \"resize ROWS COLS\" or \"signal N\"");
  ctl_expect_error("resize 40", "cols must be a number from 1 to 65535");
  ctl_expect_error("resize 0 80", "rows must be a number from 1 to 65535");
  ctl_expect_error("resize 40 70000", "cols must be a number");
  ctl_expect_error("resize 40 80 1", "unknown command");
  ctl_expect_error("signal 99", "signal must be a number from 1 to");
  ctl_expect_error("signal TERM", "signal must be a number");
  ctl_expect_error("signal 9 9", "unknown command");
}

static void netconf_publishAndVeth_parse(void) {
  config_t c;
  berr_t e;
  int r = parse(BASE "namespace net|publish tcp 127.0.0.1 0 80|publish udp ::1 5353 53|net.ip_tool /sbin/ip|"
                "net.bridge berth-a|net.veth vb1|net.address 10.89.0.2/24|net.gateway 10.89.0.1", &c, &e);
  CHECK(r == 0);
  CHECK(c.run.net.npublish == 2 && c.run.net.publish[0].type == SOCK_STREAM && c.run.net.publish[0].host_port == 0);
  CHECK(c.run.net.publish[1].type == SOCK_DGRAM && strcmp(c.run.net.publish[1].host_ip, "::1") == 0 &&
        c.run.net.publish[1].host_port == 5353 && c.run.net.publish[1].container_port == 53);
  CHECK(strcmp(c.run.net.bridge, "berth-a") == 0 && strcmp(c.run.net.address, "10.89.0.2/24") == 0);
  config_free(&c);
}

static void netconf_extraNetworks_parseInOrder_withOrWithoutAFirstVeth(void) {
  config_t c;
  berr_t e;
  int r = parse(BASE "namespace net|net.ip_tool /sbin/ip|net.bridge berth-a|net.veth vb1|net.address 10.89.0.2/24|"
                "net.gateway 10.89.0.1|net.extra berth-b vb2 eth1 10.89.1.3/24|net.extra berth-c vb3 eth2 10.89.2.4/24",
                &c, &e);
  CHECK(r == 0);
  CHECK(c.run.net.nextra == 2 && strcmp(c.run.net.extra[0].bridge, "berth-b") == 0 && strcmp(c.run.net.extra[0].ifname, "eth1") == 0);
  CHECK(strcmp(c.run.net.extra[1].veth, "vb3") == 0 && strcmp(c.run.net.extra[1].address, "10.89.2.4/24") == 0);
  config_free(&c);
  r = parse(BASE "namespace net|net.ip_tool /sbin/ip|net.extra berth-b vb2 eth0 10.89.1.3/24", &c, &e);
  CHECK(r == 0 && c.run.net.nextra == 1 && c.run.net.veth == NULL);
  config_free(&c);
}

static void netconf_badInput_isRefusedWithReason(void) {
  expect_error(BASE "namespace net|publish sctp 127.0.0.1 1 1", "protocol \"sctp\" is not tcp or udp");
  expect_error(BASE "namespace net|publish tcp localhost 1 1", "\"localhost\" is not an IP address");
  expect_error(BASE "namespace net|publish tcp 127.0.0.1 70000 1", "host port \"70000\" is not a port");
  expect_error(BASE "namespace net|publish tcp 127.0.0.1 1 0", "container port \"0\" is not a port from 1");
  expect_error(BASE "namespace net|publish tcp 127.0.0.1 1", "publish needs");
  expect_error(BASE "publish tcp 127.0.0.1 1 1", "publish needs a network namespace");
  expect_error(BASE "namespace net|net.join /proc/1/ns/net", "not both");
  expect_error(BASE "net.join relative", "net.join must be an absolute path");
  expect_error(BASE "namespace net|net.bridge b", "go together");
  expect_error(BASE "net.ip_tool /ip|net.bridge b|net.veth v|net.address 10.0.0.2/24|net.gateway 10.0.0.1",
               "needs \"namespace net\"");
  expect_error(BASE "namespace net|net.ip_tool /ip|net.bridge b|net.veth v|net.address 10.0.0.2|net.gateway 10.0.0.1",
               "needs a prefix length");
  expect_error(BASE "namespace net|net.ip_tool /ip|net.bridge way-too-long-name|net.veth v|net.address 10.0.0.2/24|"
               "net.gateway 10.0.0.1", "is not an interface name");
  expect_error(BASE "net.colour blue", "unknown key \"net.colour\"");
  expect_error(BASE "net.slirp /usr/bin/slirp4netns", "net.slirp must be an absolute path, and needs");
  expect_error(BASE "namespace net|net.ip_tool /ip|net.extra b v eth1", "net.extra needs \"BRIDGE VETH");
  expect_error(BASE "namespace net|net.ip_tool /ip|net.extra b v eth1 10.0.0.2", "needs a prefix length");
  expect_error(BASE "namespace net|net.ip_tool /ip|net.extra b v eth:1 10.0.0.2/24", "is not an interface name");
  expect_error(BASE "namespace net|net.extra b v eth1 10.0.0.2/24", "net.extra needs net.ip_tool");
  expect_error(BASE "net.ip_tool /ip|net.extra b v eth1 10.0.0.2/24", "net.extra needs \"namespace net\"");
}

static int calls[8];
static void count_call(void *ctx, int fd, short revents) {
  (void)ctx, (void)revents;
  calls[fd]++;
  loop_del(5); /* a handler may remove another watch: it must not be called after */
}

static void loop_dispatch_skipsWatchesRemovedMeanwhile(void) {
  struct pollfd p[LOOP_MAX];
  loop_add(4, POLLIN, count_call, NULL);
  loop_add(5, POLLIN, count_call, NULL);
  size_t n = loop_fill(p, LOOP_MAX);
  CHECK(n == 2 && p[0].fd == 4 && p[1].fd == 5);
  p[0].revents = p[1].revents = POLLIN;
  loop_dispatch(p, n);
  CHECK(calls[4] == 1 && calls[5] == 0);
  loop_del(4);
  CHECK(loop_fill(p, LOOP_MAX) == 0);
}

static void json_escape_specialCharacters_areEscaped(void) {
  char out[128];
  json_escape("a\"b\\c\nd\te\x01", 10, out, sizeof out);
  CHECK(strcmp(out, "a\\\"b\\\\c\\nd\\te\\u0001") == 0);
}

static void json_escape_validUtf8_passesThrough(void) {
  char out[64];
  json_escape("h\xc3\xa9llo \xe2\x82\xac", 10, out, sizeof out);
  CHECK(strcmp(out, "h\xc3\xa9llo \xe2\x82\xac") == 0);
}

static void json_escape_invalidUtf8_becomesReplacementCharacter(void) {
  char out[64];
  json_escape("a\xff" "b\xc3", 4, out, sizeof out);
  CHECK(strcmp(out, "a\\ufffdb\\ufffd") == 0);
}

static void json_escape_smallBuffer_cutsAtCharacterBoundary(void) {
  char out[5];
  size_t n = json_escape("ab\ncd", 5, out, sizeof out);
  CHECK(n == 4 && strcmp(out, "ab\\n") == 0);
}

static void rfc3339nano_format_hasNineDigitFractionAndZ(void) {
  char out[40];
  rfc3339nano(out, sizeof out);
  CHECK(strlen(out) == 30 && out[10] == 'T' && out[19] == '.' && out[29] == 'Z');
  /* and it is now, in UTC: the fields read back give this second (or the one before) */
  struct tm tm = {0};
  long ns;
  CHECK(sscanf(out, "%4d-%2d-%2dT%2d:%2d:%2d.%9ldZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &ns) == 7);
  tm.tm_year -= 1900, tm.tm_mon -= 1;
  time_t then = timegm(&tm), now = time(NULL);
  CHECK(then <= now && now - then <= 1 && ns >= 0 && ns < 1000000000L);
}

static const char *exec_ok;
static int fake_is_exec(const char *p) { return strcmp(p, exec_ok) == 0; }

static void path_search_findsFirstExecutableInOrder(void) {
  char out[256];
  exec_ok = "/usr/bin/node";
  CHECK(path_search("node", "/bin:/usr/bin:/opt", fake_is_exec, out, sizeof out) == 0);
  CHECK(strcmp(out, "/usr/bin/node") == 0);
}

static void path_search_missing_fails(void) {
  char out[256];
  exec_ok = "/usr/bin/node";
  CHECK(path_search("nodee", "/bin:/usr/bin", fake_is_exec, out, sizeof out) == -1);
}

static void path_search_nameWithSlash_isUsedAsIs(void) {
  char out[256];
  exec_ok = "none";
  CHECK(path_search("./run.sh", "/bin", fake_is_exec, out, sizeof out) == 0 && strcmp(out, "./run.sh") == 0);
}

static void path_search_emptyEntry_meansCurrentDirectory(void) {
  char out[256];
  exec_ok = "./tool";
  CHECK(path_search("tool", "/bin::/usr/bin", fake_is_exec, out, sizeof out) == 0 && strcmp(out, "./tool") == 0);
}

static void exit_code_followsDocker(void) {
  berr_t e = {STAGE_EXEC, ENOENT, ""};
  CHECK(berr_exit_code(&e) == 127);
  e.err = EACCES;
  CHECK(berr_exit_code(&e) == 126);
  e.stage = STAGE_MOUNT;
  CHECK(berr_exit_code(&e) == 125);
}

static void berr_set_appendsErrnoWords(void) {
  berr_t e;
  berr_set(&e, STAGE_MOUNT, ENOENT, "mount %s", "/proc");
  CHECK(strcmp(e.msg, "mount /proc: No such file or directory") == 0 && e.err == ENOENT);
}

static void config_securityKeys_parse(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "seccomp /s/seccomp.bpf|no_new_privs 0|readonly_rootfs 1|privileged 1", &c, &e) == 0);
  CHECK(strcmp(c.proc.seccomp_path, "/s/seccomp.bpf") == 0 && c.proc.no_new_privs == 0 && c.run.readonly_rootfs == 1 &&
        c.proc.privileged == 1);
  config_free(&c);
}

static void config_noSecurityKeys_keepsNoNewPrivsOn(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "uid 0", &c, &e) == 0 && c.proc.no_new_privs == 1 && c.proc.seccomp_path == NULL && !c.proc.privileged);
  config_free(&c);
}

static void config_relativeSeccompPath_isRefused(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "seccomp prog.bpf", &c, &e) < 0 && strstr(e.msg, "seccomp must be an absolute path") != NULL);
  config_free(&c);
}

static void config_securityFlagNotZeroOrOne_isRefused(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "readonly_rootfs yes", &c, &e) < 0 && strstr(e.msg, "readonly_rootfs must be 0 or 1") != NULL);
  config_free(&c);
}

static void config_capNone_givesAnEmptySet(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "cap none", &c, &e) == 0 && c.proc.caps_given && c.proc.caps == 0);
  config_free(&c);
}

static void config_idmapsAndUserxattr_parse(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "uidmap 0 1000 1|uidmap 1 100000 65536|gidmap 0 1000 1|rootfs.userxattr 1", &c, &e) == 0);
  CHECK(c.nuidmaps == 2 && c.uidmaps[1].inside == 1 && c.uidmaps[1].outside == 100000 && c.uidmaps[1].count == 65536);
  CHECK(c.ngidmaps == 1 && c.rootfs.userxattr == 1);
  config_free(&c);
}

static void config_badIdmap_isRefusedWithReason(void) {
  config_t c;
  berr_t e;
  CHECK(parse(BASE "uidmap 0 1000", &c, &e) < 0 && strstr(e.msg, "too few fields") != NULL);
  config_free(&c);
  CHECK(parse(BASE "uidmap 0 1000 0", &c, &e) < 0 && strstr(e.msg, "count 0") != NULL);
  config_free(&c);
  CHECK(parse(BASE "gidmap a 1 1", &c, &e) < 0 && strstr(e.msg, "not a number") != NULL);
  config_free(&c);
}

#define JOB "version 1|job.root /r|uidmap 0 1000 1|gidmap 0 1000 1|"

static void config_job_needsNoProgramAndKeepsPathSpaces(void) {
  config_t c;
  berr_t e;
  CHECK(parse(JOB "job.chown 100001 42 etc/my shadow|job.remove old dir", &c, &e) == 0);
  CHECK(c.job.nchowns == 1 && c.job.chowns[0].uid == 100001 && c.job.chowns[0].gid == 42);
  CHECK(strcmp(c.job.chowns[0].path, "etc/my shadow") == 0);
  CHECK(c.job.nremoves == 1 && strcmp(c.job.removes[0], "old dir") == 0);
  config_free(&c);
}

static void config_jobView_takesLayersAndAFillPath(void) {
  config_t c;
  berr_t e;
  CHECK(parse(JOB "job.view /v|rootfs.lower /l2|rootfs.lower /l1|rootfs.userxattr 1|job.fill /var/lib/pg", &c, &e) == 0);
  CHECK(strcmp(c.job.view, "/v") == 0 && c.rootfs.nlower == 2 && c.rootfs.upper == NULL && c.rootfs.userxattr == 1);
  CHECK(strcmp(c.job.fill, "/var/lib/pg") == 0 && c.job.hold == 0);
  config_free(&c);
  CHECK(parse(JOB "job.view /v|rootfs.lower /l|rootfs.upper /u|rootfs.work /w|job.hold 1", &c, &e) == 0);
  CHECK(c.job.hold == 1 && strcmp(c.rootfs.upper, "/u") == 0);
  config_free(&c);
}

static void config_viewJobWithoutMaps_mapsTheCallerAlone_butChownsNeedMaps(void) {
  config_t c;
  berr_t e;
  CHECK(parse("version 1|job.root /r|job.view /v|rootfs.lower /l|job.hold 1", &c, &e) == 0 && c.nuidmaps == 0);
  config_free(&c);
  CHECK(parse("version 1|job.root /r|job.view /v|rootfs.lower /l|job.remove x", &c, &e) < 0 &&
        strstr(e.msg, "uidmap and gidmap") != NULL);
  config_free(&c);
}

static void config_jobViewWithoutLayers_orFillWithoutView_isRefused(void) {
  config_t c;
  berr_t e;
  CHECK(parse(JOB "job.view /v", &c, &e) < 0 && strstr(e.msg, "rootfs.lower") != NULL);
  config_free(&c);
  CHECK(parse(JOB "job.view /v|rootfs.lower /l|rootfs.upper /u", &c, &e) < 0 && strstr(e.msg, "rootfs.work") != NULL);
  config_free(&c);
  CHECK(parse(JOB "job.fill /x", &c, &e) < 0 && strstr(e.msg, "need job.view") != NULL);
  config_free(&c);
  CHECK(parse(JOB "job.view /v|rootfs.lower /l|job.fill rel", &c, &e) < 0 && strstr(e.msg, "absolute") != NULL);
  config_free(&c);
}

/* Each program reads its own struct: keys of another program are refused, naming them. */
static void config_keysOfAnotherProgram_areRefused(void) {
  expect_error(BASE "job.remove x", "need job.root");
  expect_error("version 1|state_dir /s|target_pid 12|arg sh|job.hold 1", "need job.root");
  expect_error(JOB "job.remove x|arg sh", "starts no process");
  expect_error(JOB "job.remove x|state_dir /s", "starts no process");
  expect_error(JOB "job.remove x|namespace pid", "starts no process");
}

static void config_jobPathOutsideRoot_isRefused(void) {
  config_t c;
  berr_t e;
  CHECK(parse(JOB "job.remove ../x", &c, &e) < 0 && strstr(e.msg, "inside job.root") != NULL);
  config_free(&c);
  CHECK(parse(JOB "job.chown 1 1 /etc/passwd", &c, &e) < 0 && strstr(e.msg, "must be relative") != NULL);
  config_free(&c);
  CHECK(parse("version 1|job.root /r|job.remove x", &c, &e) < 0 && strstr(e.msg, "uidmap and gidmap") != NULL);
  config_free(&c);
}

static void userns_toInside_invertsTheMaps(void) {
  struct idmap_rec maps[] = {{0, 1000, 1}, {1, 100000, 65536}};
  CHECK(userns_to_inside(maps, 2, 1000) == 0);
  CHECK(userns_to_inside(maps, 2, 100000) == 1);
  CHECK(userns_to_inside(maps, 2, 100999) == 1000);
  CHECK(userns_to_inside(maps, 2, 165535) == 65536);
  CHECK(userns_to_inside(maps, 2, 165536) == -1);
  CHECK(userns_to_inside(maps, 2, 0) == -1);
}

static void fdpass_severalFds_arriveInOrderWithTheBytes(void) {
  int sv[2], p1[2], p2[2];
  CHECK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0 && pipe(p1) == 0 && pipe(p2) == 0);
  int sent[2] = {p1[1], p2[1]}, got[4] = {-1, -1, -1, -1};
  size_t n = 9;
  CHECK(fd_send_fds(sv[0], "hi", 2, sent, 2) == 2);
  char buf[8] = {0};
  CHECK(fd_recv_fds(sv[1], buf, sizeof buf, got, 4, &n) == 2 && n == 2 && strcmp(buf, "hi") == 0);
  /* what is written to the received ends comes out of the pipes they were sent for, in order */
  CHECK(n == 2 && write(got[0], "a", 1) == 1 && write(got[1], "b", 1) == 1);
  char a = 0, b = 0;
  CHECK(read(p1[0], &a, 1) == 1 && a == 'a' && read(p2[0], &b, 1) == 1 && b == 'b');
  /* no fds: n is 0; the single-fd wrappers agree */
  int one = -2;
  CHECK(fd_send_fds(sv[0], "x", 1, NULL, 0) == 1 && fd_recv(sv[1], buf, sizeof buf, &one) == 1 && one == -1);
  for (int *fd = (int[]){sv[0], sv[1], p1[0], p1[1], p2[0], p2[1], got[0], got[1]}, i = 0; i < 8; i++) close(fd[i]);
}

/* A tree with a setuid file, a hard link, a symlink out, a read-only dir and a fifo, copied. */
static void fscopy_keepsModesLinksAndTypes(void) {
  char top[] = "/tmp/berth-fscopy-XXXXXX", path[256], target[64];
  struct stat a, b, st;
  berr_t e;
  CHECK(mkdtemp(top) != NULL);
  snprintf(path, sizeof path, "%s/src", top), mkdir(path, 0750), chmod(path, 0750);
  snprintf(path, sizeof path, "%s/dst", top), mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/src/a", top);
  int fd = open(path, O_WRONLY | O_CREAT, 0600);
  CHECK(fd >= 0 && write(fd, "hi", 2) == 2);
  close(fd), chmod(path, 04755);
  snprintf(target, sizeof target, "%s/src/b", top), link(path, target);
  snprintf(path, sizeof path, "%s/src/l", top), symlink("/etc/passwd", path);
  snprintf(path, sizeof path, "%s/src/p", top), mkfifo(path, 0640);
  snprintf(path, sizeof path, "%s/src/d", top), mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/src/d/f", top), close(open(path, O_WRONLY | O_CREAT, 0644));
  snprintf(path, sizeof path, "%s/src/d", top), chmod(path, 0555);
  snprintf(path, sizeof path, "%s/src", top);
  int src = open(path, O_RDONLY | O_DIRECTORY);
  snprintf(path, sizeof path, "%s/dst", top);
  int dst = open(path, O_RDONLY | O_DIRECTORY);
  CHECK(fscopy_contents(src, dst, &e) == 0);
  close(src), close(dst);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0750);
  snprintf(path, sizeof path, "%s/dst/a", top);
  snprintf(target, sizeof target, "%s/dst/b", top);
  CHECK(stat(path, &a) == 0 && stat(target, &b) == 0 && a.st_ino == b.st_ino && (a.st_mode & 07777) == 04755 && a.st_size == 2);
  snprintf(path, sizeof path, "%s/dst/l", top);
  ssize_t n = readlink(path, target, sizeof target - 1);
  CHECK(n == 11 && memcmp(target, "/etc/passwd", 11) == 0);
  snprintf(path, sizeof path, "%s/dst/p", top);
  CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 0777) == 0640);
  snprintf(path, sizeof path, "%s/dst/d", top);
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0555);
  snprintf(path, sizeof path, "%s/dst/d/f", top);
  CHECK(stat(path, &st) == 0);
  snprintf(path, sizeof path, "chmod -R u+w %s && rm -rf %s", top, top);
  CHECK(system(path) == 0);
}

/* A fresh dir to stand for a container's root; *rootfd an O_PATH fd on it. */
static void fake_root(char *top, int *rootfd) {
  CHECK(mkdtemp(top) != NULL);
  *rootfd = open(top, O_PATH | O_DIRECTORY | O_CLOEXEC);
  CHECK(*rootfd >= 0);
}

static void remove_fake_root(const char *top, int rootfd) {
  char cmd[128];
  close(rootfd);
  snprintf(cmd, sizeof cmd, "rm -rf %s", top);
  CHECK(system(cmd) == 0);
}

/* An image without /proc/kcore and the like: nothing to mask, though strerror changed errno. */
static void mount_maskPaths_absentPaths_areSkipped(void) {
  if (openat2_missing_in_emulator(__func__)) return;
  char top[] = "/tmp/berth-mask-XXXXXX";
  int rootfd;
  berr_t e;
  fake_root(top, &rootfd);
  strerror_errno = EINVAL;
  int r = mount_mask_paths(rootfd, &e);
  strerror_errno = 0;
  CHECK(r == 0);
  remove_fake_root(top, rootfd);
}

/* /proc a file: /proc/acpi is not absent but unresolvable, and must not be skipped unmasked. */
static void mount_maskPaths_unresolvablePath_failsWithItsErrno(void) {
  if (openat2_missing_in_emulator(__func__)) return;
  char top[] = "/tmp/berth-mask-XXXXXX", path[64];
  int rootfd;
  berr_t e;
  fake_root(top, &rootfd);
  snprintf(path, sizeof path, "%s/proc", top);
  close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  strerror_errno = ENOENT;
  int r = mount_mask_paths(rootfd, &e);
  strerror_errno = 0;
  CHECK(r == -1 && e.err == ENOTDIR && strstr(e.msg, "/proc/acpi") != NULL);
  remove_fake_root(top, rootfd);
}

/* Out of fds once the parent is resolved: the error is that, not a mkdirat on fd -1 (EBADF). */
static void mount_openInRoot_parentCannotBeOpened_failsNamingTheParent(void) {
  if (openat2_missing_in_emulator(__func__)) return;
  char top[] = "/tmp/berth-mkdir-XXXXXX", path[64];
  int rootfd;
  berr_t e;
  struct rlimit old, low;
  fake_root(top, &rootfd);
  snprintf(path, sizeof path, "%s/dir", top);
  CHECK(mkdir(path, 0755) == 0);
  int next = dup(0); /* the lowest free fd: the parent gets it, the next open finds none */
  close(next);
  CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
  low = old;
  low.rlim_cur = (rlim_t)next + 1;
  CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
  int fd = mount_open_in_root(rootfd, "/dir/new", S_IFDIR, &e);
  CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
  CHECK(fd == -1 && e.err == EMFILE && strstr(e.msg, "open /dir ") != NULL);
  if (fd >= 0) close(fd);
  remove_fake_root(top, rootfd);
}

/* Runs fn in a child process (it may change its session, group or limits); returns its exit code. */
static int in_child(int (*fn)(void)) {
  pid_t pid = fork();
  if (pid == 0) _exit(fn());
  int status;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int leave_as_group_leader(void) {
  berr_t e;
  if (setpgid(0, 0) < 0) return 2;
  return session_leave(&e) == -1 && e.err == EPERM && strstr(e.msg, "setsid") != NULL ? 0 : 1;
}

/* A shell with job control would make the helper a group leader: setsid fails, and so does the start. */
static void session_leave_asAProcessGroupLeader_fails(void) {
  CHECK(in_child(leave_as_group_leader) == 0);
}

static int leave_twice(void) {
  berr_t e;
  int first = session_leave(&e);
  return first == 0 && getsid(0) == getpid() && session_leave(&e) == 0 ? 0 : 1;
}

/* Started by the JVM it leads a new session; a spare that runs its container calls it again. */
static void session_leave_asAChild_leadsItsSession_andAgainIsFine(void) {
  CHECK(in_child(leave_twice) == 0);
}

/* Out of fds: the terminal's stdin cannot be relayed, and the start says so (not a silent -1). */
static void pty_dupPrimary_outOfFds_fails(void) {
  int p[2], in = 7;
  berr_t e;
  struct rlimit old, low;
  CHECK(pipe(p) == 0);
  CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
  int next = dup(0);
  close(next);
  low = old;
  low.rlim_cur = (rlim_t)next; /* no free fd below the limit */
  CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
  int r = pty_dup_primary(p[0], &in, &e);
  CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
  CHECK(r == -1 && in == -1 && e.err == EMFILE && strstr(e.msg, "primary") != NULL);
  close(p[0]), close(p[1]);
}

/* The whole of a small file (or of what a pipe holds), NUL-terminated; "" when it cannot be read. */
static void read_all(int fd, char *buf, size_t cap) {
  ssize_t n = read(fd, buf, cap - 1);
  buf[n > 0 ? n : 0] = '\0';
}

static void read_path(const char *dir, const char *name, char *buf, size_t cap) {
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  buf[0] = '\0';
  if (fd >= 0) read_all(fd, buf, cap), close(fd);
}

#define STARTED "2026-01-02T03:04:05.000000006Z"

static void state_recordExit_writesTheExitInPlaceOfRunning(void) {
  char top[] = "/tmp/berth-state-XXXXXX", buf[1024];
  berr_t e;
  CHECK(mkdtemp(top) != NULL);
  CHECK(state_write(top, "running", 42, STARTED, NULL, 0, 0, &e) == 0);
  CHECK(state_record_exit(top, 42, STARTED, 3, 1, -1) == 0);
  read_path(top, "state.json", buf, sizeof buf);
  CHECK(strstr(buf, "\"status\":\"exited\",\"pid\":42,") != NULL && strstr(buf, "\"exitCode\":3,\"oomKilled\":true}") != NULL);
  snprintf(buf, sizeof buf, "test \"$(ls -A %s)\" = state.json && rm -r %s", top, top); /* no temp file left */
  CHECK(system(buf) == 0);
}

/* A full disk at the exit (the temp file is /dev/full): the old state stays, and the failure is said. */
static void state_recordExit_onAFullDisk_keepsTheOldStateAndSaysWhy(void) {
  char top[] = "/tmp/berth-state-XXXXXX", tmp[128], before[1024], after[1024], said[2048], logged[2048];
  int errp[2], logp[2];
  berr_t e;
  CHECK(mkdtemp(top) != NULL);
  CHECK(state_write(top, "running", 42, STARTED, NULL, 0, 0, &e) == 0);
  read_path(top, "state.json", before, sizeof before);
  snprintf(tmp, sizeof tmp, "%s/.state.json.%d", top, getpid());
  CHECK(symlink("/dev/full", tmp) == 0);
  CHECK(pipe(errp) == 0 && pipe(logp) == 0);
  int saved = dup(STDERR_FILENO);
  dup2(errp[1], STDERR_FILENO);
  int r = state_record_exit(top, 42, STARTED, 3, 0, logp[1]);
  dup2(saved, STDERR_FILENO), close(saved), close(errp[1]), close(logp[1]);
  read_all(errp[0], said, sizeof said);
  read_all(logp[0], logged, sizeof logged);
  close(errp[0]), close(logp[0]);
  read_path(top, "state.json", after, sizeof after);
  CHECK(r == -1);
  CHECK(strstr(before, "\"running\"") != NULL && strcmp(after, before) == 0);
  CHECK(strstr(said, "exit code 3 of process 42 not recorded: write ") != NULL &&
        strstr(said, "No space left on device") != NULL);
  CHECK(strstr(logged, "\"stream\":\"stderr\"") != NULL && strstr(logged, "exit code 3") != NULL);
  CHECK(access(tmp, F_OK) != 0); /* the temp is removed */
  snprintf(tmp, sizeof tmp, "rm -r %s", top);
  CHECK(system(tmp) == 0);
}

/* job.remove of a path whose parent the layer does not have: nothing to do, though strerror changed errno. */
static void fsjob_removeOne_absentParent_isDone(void) {
  if (openat2_missing_in_emulator(__func__)) return;
  char top[] = "/tmp/berth-remove-XXXXXX";
  int rootfd;
  berr_t e;
  fake_root(top, &rootfd);
  int dirfd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  strerror_errno = EINVAL;
  int r = fsjob_remove_one(dirfd, "etc/absent/file", &e);
  strerror_errno = 0;
  CHECK(r == 0);
  close(dirfd);
  remove_fake_root(top, rootfd);
}

/* A parent that is a symlink is refused (ELOOP), never taken for absent and the file left in place. */
static void fsjob_removeOne_symlinkedParent_failsWithELOOP(void) {
  if (openat2_missing_in_emulator(__func__)) return;
  char top[] = "/tmp/berth-remove-XXXXXX", path[96];
  int rootfd;
  berr_t e;
  fake_root(top, &rootfd);
  snprintf(path, sizeof path, "%s/real", top), mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/real/file", top), close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  snprintf(path, sizeof path, "%s/link", top);
  CHECK(symlink("real", path) == 0);
  int dirfd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  strerror_errno = ENOENT;
  int r = fsjob_remove_one(dirfd, "link/file", &e);
  strerror_errno = 0;
  CHECK(r == -1 && e.err == ELOOP && strstr(e.msg, "link/file") != NULL);
  snprintf(path, sizeof path, "%s/real/file", top);
  CHECK(access(path, F_OK) == 0);
  close(dirfd);
  remove_fake_root(top, rootfd);
}

/* The status line goes to the FIFO the JVM named, not to stdout; anything else is refused. */
static void status_open_fifo_carriesTheLine_otherFilesAreRefused(void) {
  char top[] = "/tmp/berth-status-XXXXXX", fifo[64], file[64], line[64] = {0};
  berr_t e;
  CHECK(mkdtemp(top) != NULL);
  snprintf(fifo, sizeof fifo, "%s/status", top);
  snprintf(file, sizeof file, "%s/plain", top);
  CHECK(mkfifo(fifo, 0600) == 0 && close(open(file, O_CREAT | O_WRONLY, 0600)) == 0);
  CHECK(status_open(file, &e) < 0 && strstr(e.msg, "is not a FIFO") != NULL);
  CHECK(status_open(fifo, &e) == 0); /* opening does not wait for a reader */
  int reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  status_started(4242);
  status_close();
  CHECK(reader >= 0 && read(reader, line, sizeof line - 1) > 0 && strcmp(line, "BERTH1 started 4242\n") == 0);
  close(reader);
  snprintf(line, sizeof line, "rm -r %s", top);
  CHECK(system(line) == 0);
}

static void reap_filterQuery_encodesLabelsAsDockerFilters() {
  char q[4096], why[256];
  CHECK(reap_filter_query("label=dev.berth.reap=ab-12", q, sizeof q, why, sizeof why) == 0 &&
        strcmp(q, "%7B%22label%22%3A%5B%22dev.berth.reap%3Dab-12%22%5D%7D") == 0);
  CHECK(reap_filter_query("label=a=1&label=b", q, sizeof q, why, sizeof why) == 0 &&
        strcmp(q, "%7B%22label%22%3A%5B%22a%3D1%22%2C%22b%22%5D%7D") == 0);
  CHECK(reap_filter_query("name=x", q, sizeof q, why, sizeof why) < 0 && strstr(why, "label=KEY=VALUE") != NULL);
  CHECK(reap_filter_query("label=a\"b", q, sizeof q, why, sizeof why) < 0 && strstr(why, "0x22") != NULL);
  CHECK(reap_filter_query("label=a&", q, sizeof q, why, sizeof why) < 0);
  CHECK(reap_filter_query("label=", q, sizeof q, why, sizeof why) < 0 && strstr(why, "empty") != NULL);
}

static void reap_httpParse_plainAndChunkedBodies() {
  char plain[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n[{}]";
  char shortBody[] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n[{}]";
  char untilEof[] = "HTTP/1.0 200 OK\r\n\r\nab";
  char noContent[] = "HTTP/1.1 204 No Content\r\n\r\n";
  char chunked[] = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[{\"\r\n2\r\nId\r\n0\r\n\r\n";
  char partial[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc";
  char *body;
  size_t n;
  int status;
  CHECK(reap_http_parse(plain, strlen(plain), 0, &status, &body, &n) == 0 && status == 200 && n == 4 &&
        memcmp(body, "[{}]", 4) == 0);
  CHECK(reap_http_parse(shortBody, strlen(shortBody), 0, &status, &body, &n) < 0);
  CHECK(reap_http_parse(untilEof, strlen(untilEof), 0, &status, &body, &n) < 0);
  CHECK(reap_http_parse(untilEof, strlen(untilEof), 1, &status, &body, &n) == 0 && n == 2);
  CHECK(reap_http_parse(noContent, strlen(noContent), 0, &status, &body, &n) == 0 && status == 204 && n == 0);
  CHECK(reap_http_parse(chunked, strlen(chunked), 0, &status, &body, &n) == 0 && status == 404 && n == 5 &&
        memcmp(body, "[{\"Id", 5) == 0);
  CHECK(reap_http_parse(partial, strlen(partial), 0, &status, &body, &n) < 0 &&
        memcmp(partial + strlen(partial) - 6, "9\r\nabc", 6) == 0); /* left as it was */
  char garbage[] = "garbage";
  CHECK(reap_http_parse(garbage, 7, 1, &status, &body, &n) < 0);
}

static void reap_nextId_findsEachContainerId_notImageIds() {
  const char *list = "[{\"Id\":\"abc123\",\"ImageID\":\"sha256:ff\",\"Labels\":{\"Id\":\"x y\"}},{\"Id\" : \"def4\"}]";
  char id[128];
  size_t pos = 0;
  CHECK(reap_next_id(list, strlen(list), &pos, id, sizeof id) == 1 && strcmp(id, "abc123") == 0);
  CHECK(reap_next_id(list, strlen(list), &pos, id, sizeof id) == 1 && strcmp(id, "def4") == 0);
  CHECK(reap_next_id(list, strlen(list), &pos, id, sizeof id) == 0);
}

/* ns_clone_shared: the child runs fn on its own stack in our memory and exits with what fn returns. */
static volatile int shared_mark;
static int mark_and_return(void *arg) {
  shared_mark = *(const int *)arg;
  return 7;
}

/* Runs ns_clone_shared(flags 0, cgroup_fd) and returns the child's exit code; *was_copy: the fallback ran. */
static int clone_shared_exit(int cgroup_fd, int *placed, int *was_copy) {
  int value = 42, status = 0;
  berr_t e;
  shared_mark = 0;
  pid_t pid = ns_clone_shared(0, cgroup_fd, placed, mark_and_return, &value, &e);
  if (pid == 0) _exit(mark_and_return(&value) == 7 ? 8 : 9); /* the fallback's child: a copy of us */
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  *was_copy = WEXITSTATUS(status) == 8;
  return WEXITSTATUS(status);
}

static int clone3_missing_in_emulator(const char *test, int was_copy) {
  const char *emulator = getenv("BERTH_C_TESTS_EMULATOR");
  if (emulator == NULL || !was_copy) return 0;
  return skip(test, emulator, "does not emulate clone3 with a stack");
}

static void ns_cloneShared_childWritesOurMemory_andExitsWithFnsValue(void) {
  int placed = 1, was_copy = 0;
  int code = clone_shared_exit(-1, &placed, &was_copy);
  if (clone3_missing_in_emulator(__func__, was_copy)) return;
  CHECK(code == 7 && shared_mark == 42 && placed == 0);
}

static void ns_cloneShared_cgroupRefused_clonesWithoutIt_andSaysNotPlaced(void) {
  int placed = 1, was_copy = 0, notACgroup = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  int code = clone_shared_exit(notACgroup, &placed, &was_copy);
  close(notACgroup);
  if (clone3_missing_in_emulator(__func__, was_copy)) return;
  CHECK(code == 7 && shared_mark == 42 && placed == 0);
}

/* With clone3 refused (a seccomp filter saying ENOSYS, as older kernels do) it forks: the child is a copy. */
static void ns_cloneShared_clone3Refused_forksACopy(void) {
  const char *emulator = getenv("BERTH_C_TESTS_EMULATOR");
  if (emulator != NULL) {
    skip(__func__, emulator, "would have the seccomp filter apply to its own calls");
    return;
  }
  pid_t tester = fork();
  if (tester == 0) {
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) _exit(2);
    int placed = 1, was_copy = 0;
    int code = clone_shared_exit(-1, &placed, &was_copy);
    _exit(code == 8 && was_copy && shared_mark == 0 && placed == 0 ? 0 : 1);
  }
  int status;
  CHECK(tester > 0 && waitpid(tester, &status, 0) == tester && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void) {
  config_securityFlagNotZeroOrOne_isRefused();
  config_capNone_givesAnEmptySet();
  config_securityKeys_parse();
  config_noSecurityKeys_keepsNoNewPrivsOn();
  config_relativeSeccompPath_isRefused();
  config_fullOverlayConfig_parsesEveryField();
  config_noCwd_defaultsToRoot();
  config_ownerPid_isParsed();
  config_program_followsJobRootOrTargetPid();
  config_keysOfAnotherProgram_areRefused();
  config_badInput_isRefusedWithReason();
  config_tty_parsesSize();
  config_exec_needsNoRootfs();
  ctl_parse_validCommands_areParsed();
  ctl_parse_badCommands_areRefusedWithReason();
  netconf_publishAndVeth_parse();
  netconf_extraNetworks_parseInOrder_withOrWithoutAFirstVeth();
  netconf_badInput_isRefusedWithReason();
  loop_dispatch_skipsWatchesRemovedMeanwhile();
  json_escape_specialCharacters_areEscaped();
  json_escape_validUtf8_passesThrough();
  json_escape_invalidUtf8_becomesReplacementCharacter();
  json_escape_smallBuffer_cutsAtCharacterBoundary();
  rfc3339nano_format_hasNineDigitFractionAndZ();
  ns_cloneShared_childWritesOurMemory_andExitsWithFnsValue();
  ns_cloneShared_cgroupRefused_clonesWithoutIt_andSaysNotPlaced();
  ns_cloneShared_clone3Refused_forksACopy();
  path_search_findsFirstExecutableInOrder();
  path_search_missing_fails();
  path_search_nameWithSlash_isUsedAsIs();
  path_search_emptyEntry_meansCurrentDirectory();
  exit_code_followsDocker();
  berr_set_appendsErrnoWords();
  config_idmapsAndUserxattr_parse();
  config_badIdmap_isRefusedWithReason();
  config_job_needsNoProgramAndKeepsPathSpaces();
  config_jobPathOutsideRoot_isRefused();
  config_jobView_takesLayersAndAFillPath();
  config_jobViewWithoutLayers_orFillWithoutView_isRefused();
  config_viewJobWithoutMaps_mapsTheCallerAlone_butChownsNeedMaps();
  userns_toInside_invertsTheMaps();
  fdpass_severalFds_arriveInOrderWithTheBytes();
  fscopy_keepsModesLinksAndTypes();
  mount_maskPaths_absentPaths_areSkipped();
  mount_maskPaths_unresolvablePath_failsWithItsErrno();
  mount_openInRoot_parentCannotBeOpened_failsNamingTheParent();
  session_leave_asAProcessGroupLeader_fails();
  session_leave_asAChild_leadsItsSession_andAgainIsFine();
  pty_dupPrimary_outOfFds_fails();
  state_recordExit_writesTheExitInPlaceOfRunning();
  state_recordExit_onAFullDisk_keepsTheOldStateAndSaysWhy();
  status_open_fifo_carriesTheLine_otherFilesAreRefused();
  fsjob_removeOne_absentParent_isDone();
  fsjob_removeOne_symlinkedParent_failsWithELOOP();
  reap_filterQuery_encodesLabelsAsDockerFilters();
  reap_httpParse_plainAndChunkedBodies();
  reap_nextId_findsEachContainerId_notImageIds();
  printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}
