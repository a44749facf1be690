package dev.berth.internal.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The process the helper execs, with its ids resolved to numbers: a container's first process
 * (inside a {@link RuntimeSpec}), or one started inside a running container ({@code docker exec},
 * which joins the container's namespaces, so root file system, host name and network are the
 * container's). One holder for both, so the two cannot drift apart.
 *
 * @param argv the program and its arguments; the program is looked up in the env's PATH
 * @param env NAME=VALUE entries: the whole environment (Docker gives the container's plus these)
 * @param cwd absolute working directory inside the container; must exist
 * @param groups additional group ids
 * @param stdinOpen whether the process reads the monitor's stdin (else /dev/null)
 * @param tty whether the process gets a terminal from the container's /dev/pts
 * @param ttySize the terminal's initial size; ignored without a terminal
 */
public record RuntimeProcess(List<String> argv, List<String> env, String cwd, int uid, int gid, List<Integer> groups,
    boolean stdinOpen, boolean tty, TtySize ttySize) {

  public RuntimeProcess {
    argv = List.copyOf(argv);
    env = List.copyOf(env);
    groups = List.copyOf(groups);
    Objects.requireNonNull(ttySize, "ttySize");
    ProcessRules.check(argv, env, cwd, uid, gid, groups);
  }

  /** A builder that starts as root in /, with no environment, stdin or terminal. */
  public static Builder builder(String... argv) {
    return new Builder(List.of(argv));
  }

  /** Mutable twin of RuntimeProcess for building one. */
  public static final class Builder {
    private List<String> argv;
    private final List<String> env = new ArrayList<>();
    private String cwd = "/";
    private int uid;
    private int gid;
    private final List<Integer> groups = new ArrayList<>();
    private boolean stdinOpen;
    private boolean tty;
    private TtySize ttySize = TtySize.DEFAULT;

    private Builder(List<String> argv) {
      this.argv = argv;
    }

    public Builder argv(List<String> argv) { this.argv = List.copyOf(argv); return this; }
    public Builder env(String nameValue) { env.add(nameValue); return this; }
    public Builder cwd(String dir) { cwd = dir; return this; }
    public Builder user(int uid, int gid, Integer... groups) {
      this.uid = uid;
      this.gid = gid;
      this.groups.addAll(List.of(groups));
      return this;
    }
    public Builder stdinOpen(boolean open) { stdinOpen = open; return this; }
    public Builder tty(boolean on) { tty = on; return this; }
    public Builder ttySize(int rows, int cols) { ttySize = new TtySize(rows, cols); return this; }

    public RuntimeProcess build() {
      return new RuntimeProcess(argv, env, cwd, uid, gid, groups, stdinOpen, tty, ttySize);
    }
  }
}
