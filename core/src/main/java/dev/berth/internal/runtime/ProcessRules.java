package dev.berth.internal.runtime;

import java.util.List;

/** The checks a container's first process and an exec'd process share. */
final class ProcessRules {
  private ProcessRules() {}

  static void check(List<String> argv, List<String> env, String cwd, int uid, int gid, List<Integer> groups) {
    if (argv.isEmpty() || argv.get(0).isEmpty()) throw new IllegalArgumentException("nothing to run: argv is empty");
    for (String e : env) {
      if (e.indexOf('=') < 1) throw new IllegalArgumentException("env entry \"" + e + "\" is not NAME=VALUE");
    }
    if (!cwd.startsWith("/")) throw new IllegalArgumentException("working directory \"" + cwd + "\" must be absolute");
    if (uid < 0 || gid < 0 || groups.stream().anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException("uid, gid and groups must be >= 0 (resolve names before)");
    }
  }
}
