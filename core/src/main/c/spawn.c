/* Running a host program the helper needs (newuidmap, fuse-overlayfs) and keeping what it says. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "spawn.h"
#include "ns.h"

/* Reads what the program said on stdout and stderr until they close, trimmed. */
static void read_said(int fd, char *out, size_t cap) {
  size_t got = 0;
  for (ssize_t r; got + 1 < cap && (r = read(fd, out + got, cap - 1 - got)) != 0;) {
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    got += (size_t)r;
  }
  out[got] = '\0';
  while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == ' ')) out[--got] = '\0';
}

/* "ip link add x" of argv's first words, for an error message. */
static void command_words(char *const argv[], char *out, size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (int i = 0; argv[i] != NULL && i < 4 && used < cap; i++) {
    int n = snprintf(out + used, cap - used, "%s%s", i ? " " : "", argv[i]);
    if (n < 0) break;
    used += (size_t)n;
  }
}

/* In the child: stdin from /dev/null, both outputs to the pipe, in netns_of's network namespace. */
static void spawn_child(pid_t netns_of, char *const argv[], int out) {
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(out, STDERR_FILENO);
  berr_t ce;
  if (netns_of > 0 && ns_join(netns_of, CLONE_NEWNET, STAGE_NETWORK, &ce) < 0) {
    dprintf(STDERR_FILENO, "%s", ce.msg);
    _exit(1);
  }
  sigset_t none; /* the monitor blocks the signals it forwards; the program must not inherit that */
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execvp(argv[0], argv);
  dprintf(STDERR_FILENO, "cannot run %s: %s", argv[0], strerror(errno));
  _exit(127);
}

/*
 * Runs argv[0] (looked up in PATH; in the network namespace of netns_of when > 0) and waits for
 * it; its output goes to `said`, not to the container's streams. Fails (in `stage`) unless it
 * exits 0, with the command's first words and what it said.
 */
int spawn_wait_in(pid_t netns_of, char *const argv[], char *said, size_t cap, int stage, berr_t *e) {
  int out[2];
  said[0] = '\0';
  if (pipe2(out, O_CLOEXEC) < 0) return berr_set(e, stage, errno, "pipe for %s", argv[0]);
  pid_t pid = fork();
  if (pid == 0) spawn_child(netns_of, argv, out[1]);
  close(out[1]);
  read_said(out[0], said, cap);
  close(out[0]);
  int status = 0;
  if (pid < 0) return berr_set(e, stage, errno, "fork to run %s", argv[0]);
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return berr_set(e, stage, errno, "wait for %s", argv[0]);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char words[160];
    command_words(argv, words, sizeof words);
    return berr_set(e, stage, 0, "%s failed (status 0x%x): \"%s\" (command: %s)", argv[0], status,
                    said, words);
  }
  return 0;
}

int spawn_wait(char *const argv[], char *said, size_t cap, int stage, berr_t *e) {
  return spawn_wait_in(0, argv, said, cap, stage, e);
}
