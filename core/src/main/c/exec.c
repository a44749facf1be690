/* Finding and starting the container's program, with Go's LookPath rules (as Docker). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "exec.h"
#include "config.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* A regular file with any execute bit: what LookPath accepts. */
int exec_is_executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

/*
 * Finds name in the colon-separated path (an empty entry means "."), writing the first
 * candidate is_exec accepts into out. A name with a slash is used as it is. 0 found, -1 not.
 */
int path_search(const char *name, const char *path, int (*is_exec)(const char *), char *out,
                size_t cap) {
  if (strchr(name, '/') != NULL) {
    return snprintf(out, cap, "%s", name) < (int)cap ? 0 : -1;
  }
  if (name[0] == '\0') return -1;
  for (const char *p = path;; p++) {
    const char *end = strchrnul(p, ':');
    int dirlen = (int)(end - p);
    int n = dirlen == 0 ? snprintf(out, cap, "./%s", name)
                        : snprintf(out, cap, "%.*s/%s", dirlen, p, name);
    if (n > 0 && (size_t)n < cap && is_exec(out)) return 0;
    if (*end == '\0') return -1;
    p = end;
  }
}

static const char *env_path(char **env) {
  for (char **v = env; v != NULL && *v != NULL; v++) {
    if (strncmp(*v, "PATH=", 5) == 0) return *v + 5;
  }
  return DEFAULT_PATH;
}

/* Only returns on failure, with Docker's words: exec "x": executable file not found in $PATH */
int exec_container(const struct process_conf *p, berr_t *e) {
  char path[PATH_MAX];
  const char *name = p->argv[0];
  if (path_search(name, env_path(p->env), exec_is_executable, path, sizeof path) < 0) {
    berr_set(e, STAGE_EXEC, 0, "exec \"%s\": executable file not found in $PATH", name);
    e->err = ENOENT;
    return -1;
  }
  static char *empty_env[] = {NULL};
  execve(path, p->argv, p->env != NULL ? p->env : empty_env);
  int err = errno;
  char words[128];
  snprintf(words, sizeof words, "%s", strerror(err));
  words[0] = (char)tolower((unsigned char)words[0]);
  berr_set(e, STAGE_EXEC, 0, "exec \"%s\": %s", name, words);
  e->err = err;
  return -1;
}
