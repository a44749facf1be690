package dev.berth;

import java.time.Instant;

/**
 * Which log lines {@link Container#logs(LogOptions)} returns, as {@code docker logs} flags.
 *
 * <pre>{@code
 * c.logs(LogOptions.builder().tail(10).follow(true).build()).forEach(System.out::print);
 * }</pre>
 */
public final class LogOptions {
  private final Instant since;
  private final Instant until;
  private final int tail;
  private final boolean follow;
  private final boolean stdout;
  private final boolean stderr;

  private LogOptions(Builder b) {
    this.since = b.since;
    this.until = b.until;
    this.tail = b.tail;
    this.follow = b.follow;
    this.stdout = b.stdout;
    this.stderr = b.stderr;
  }

  /** @return a builder for every line of both streams, not following */
  public static Builder builder() {
    return new Builder();
  }

  /** @return only lines written at or after this time, or null for all */
  public Instant since() {
    return since;
  }

  /** @return only lines written before this time, or null for all */
  public Instant until() {
    return until;
  }

  /** @return the number of last lines to return, or -1 for all ({@code --tail}) */
  public int tail() {
    return tail;
  }

  /** @return true to keep returning new lines until the container exits ({@code -f}) */
  public boolean follow() {
    return follow;
  }

  /** @return true to include stdout */
  public boolean stdout() {
    return stdout;
  }

  /** @return true to include stderr */
  public boolean stderr() {
    return stderr;
  }

  /** @return the options as {@code docker logs} flags, e.g. {@code LogOptions{--tail 10 -f}} */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("LogOptions{");
    if (since != null) {
      sb.append("--since ").append(since).append(' ');
    }
    if (until != null) {
      sb.append("--until ").append(until).append(' ');
    }
    if (tail >= 0) {
      sb.append("--tail ").append(tail).append(' ');
    }
    if (follow) {
      sb.append("-f ");
    }
    if (!stdout || !stderr) {
      sb.append(stdout ? "stdout only " : stderr ? "stderr only " : "no streams ");
    }
    return sb.toString().strip() + "}";
  }

  /** Builds {@link LogOptions}. */
  public static final class Builder {
    private Instant since;
    private Instant until;
    private int tail = -1;
    private boolean follow;
    private boolean stdout = true;
    private boolean stderr = true;

    private Builder() {}

    /**
     * Only lines written at or after {@code time} ({@code --since}).
     *
     * @param time the earliest time
     * @return this builder
     */
    public Builder since(Instant time) {
      this.since = time;
      return this;
    }

    /**
     * Only lines written before {@code time} ({@code --until}).
     *
     * @param time the time to stop before
     * @return this builder
     */
    public Builder until(Instant time) {
      this.until = time;
      return this;
    }

    /**
     * Only the last {@code lines} lines ({@code --tail}); -1 for all.
     *
     * @param lines how many lines, or -1
     * @return this builder
     * @throws IllegalArgumentException when below -1
     */
    public Builder tail(int lines) {
      if (lines < -1) {
        throw new IllegalArgumentException("tail must be -1 (all) or a line count, not " + lines);
      }
      this.tail = lines;
      return this;
    }

    /**
     * Keep returning new lines until the container exits ({@code -f}).
     *
     * @param follow true to follow
     * @return this builder
     */
    public Builder follow(boolean follow) {
      this.follow = follow;
      return this;
    }

    /**
     * Include stdout (default true).
     *
     * @param include false to leave stdout out
     * @return this builder
     */
    public Builder stdout(boolean include) {
      this.stdout = include;
      return this;
    }

    /**
     * Include stderr (default true).
     *
     * @param include false to leave stderr out
     * @return this builder
     */
    public Builder stderr(boolean include) {
      this.stderr = include;
      return this;
    }

    /** @return the immutable options */
    public LogOptions build() {
      return new LogOptions(this);
    }
  }
}
