package dev.berth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The process concern of {@link RunOptionsBuilder}: command, entrypoint, environment, working
 * directory, user and terminal, checked as they are set; {@link #build()} makes the
 * {@link RunOptions.Process}.
 */
final class ProcessOptionsBuilder {
  private List<String> command;
  private List<String> entrypoint;
  private final Map<String, String> env = new LinkedHashMap<>();
  private String workingDir;
  private String user;
  private boolean tty;
  private boolean stdinOpen;

  ProcessOptionsBuilder() {}

  ProcessOptionsBuilder(RunOptions.Process p) {
    command = p.command() == null ? null : new ArrayList<>(p.command());
    entrypoint = p.entrypoint() == null ? null : new ArrayList<>(p.entrypoint());
    env.putAll(p.env());
    workingDir = p.workingDir();
    user = p.user();
    tty = p.tty();
    stdinOpen = p.stdinOpen();
  }

  void command(List<String> command) {
    this.command = new ArrayList<>(command);
  }

  void entrypoint(List<String> entrypoint) {
    this.entrypoint = new ArrayList<>(entrypoint);
  }

  void env(String name, String value) {
    if (name == null || name.isEmpty() || name.contains("=")) {
      throw new IllegalArgumentException("invalid environment variable name '" + name
          + "': it must be non-empty and contain no '='");
    }
    env.put(name, Objects.requireNonNull(value, "value of " + name));
  }

  void workingDir(String dir) {
    if (dir != null && !dir.startsWith("/")) {
      throw new IllegalArgumentException(
          "working directory '" + dir + "' must be an absolute path");
    }
    this.workingDir = dir;
  }

  void user(String user) {
    this.user = user;
  }

  void tty(boolean tty) {
    this.tty = tty;
  }

  void stdinOpen(boolean stdinOpen) {
    this.stdinOpen = stdinOpen;
  }

  RunOptions.Process build() {
    return new RunOptions.Process(command, entrypoint, env, workingDir, user, tty, stdinOpen);
  }
}
