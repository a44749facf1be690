package dev.berth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a process in a running container ({@code docker exec}). Unset values are the
 * container's: its environment (extended by {@link Builder#env}), working directory and user.
 *
 * <pre>{@code
 * ExecOptions opts = ExecOptions.builder("sh").tty(true).stdinOpen(true).build();
 * }</pre>
 */
public final class ExecOptions {
  private final List<String> command;
  private final Map<String, String> env;
  private final String workingDir;
  private final String user;
  private final boolean tty;
  private final boolean stdinOpen;

  private ExecOptions(Builder b) {
    this.command = List.copyOf(b.command);
    this.env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.workingDir = b.workingDir;
    this.user = b.user;
    this.tty = b.tty;
    this.stdinOpen = b.stdinOpen;
  }

  /**
   * @param command the program and its arguments
   * @return a builder for running {@code command}
   * @throws IllegalArgumentException when no command is given
   */
  public static Builder builder(String... command) {
    return new Builder(Arrays.asList(command.clone()));
  }

  /** @return the program and its arguments */
  public List<String> command() {
    return command;
  }

  /** @return variables added to the container's environment */
  public Map<String, String> env() {
    return env;
  }

  /** @return the working directory, or null for the container's */
  public String workingDir() {
    return workingDir;
  }

  /** @return the user, or null for the container's */
  public String user() {
    return user;
  }

  /** @return true when the process gets a terminal ({@code -t}) */
  public boolean tty() {
    return tty;
  }

  /** @return true when stdin stays open for this JVM ({@code -i}) */
  public boolean stdinOpen() {
    return stdinOpen;
  }

  @Override
  public String toString() {
    return "ExecOptions" + command + (tty ? " -t" : "") + (stdinOpen ? " -i" : "");
  }

  /** Builds {@link ExecOptions}. */
  public static final class Builder {
    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String workingDir;
    private String user;
    private boolean tty;
    private boolean stdinOpen;

    private Builder(List<String> command) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("exec needs a command, e.g. ExecOptions.builder(\"sh\")");
      }
      this.command = new ArrayList<>(command);
    }

    /**
     * Adds or overrides one environment variable.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Sets the working directory.
     *
     * @param dir an absolute path inside the container
     * @return this builder
     */
    public Builder workingDir(String dir) {
      this.workingDir = dir;
      return this;
    }

    /**
     * Sets the user: {@code name}, {@code uid}, {@code uid:gid} or {@code name:group}.
     *
     * @param user the user, as {@code docker exec -u} takes it
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Gives the process a terminal.
     *
     * @param tty true for a terminal ({@code -t})
     * @return this builder
     */
    public Builder tty(boolean tty) {
      this.tty = tty;
      return this;
    }

    /**
     * Keeps stdin open for this JVM to write to.
     *
     * @param stdinOpen true to keep stdin open ({@code -i})
     * @return this builder
     */
    public Builder stdinOpen(boolean stdinOpen) {
      this.stdinOpen = stdinOpen;
      return this;
    }

    /** @return the immutable options */
    public ExecOptions build() {
      return new ExecOptions(this);
    }
  }
}
