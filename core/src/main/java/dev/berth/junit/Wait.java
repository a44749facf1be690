package dev.berth.junit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * When a started fixture is ready for the test: a value built with the {@code for*} factories and
 * combined with {@link #allOf} and {@link #anyOf}. Each strategy may carry its own timeout
 * ({@link #withTimeout}); without one it has the fixture's startup timeout.
 *
 * <pre>{@code
 * Wait ready = Wait.allOf(
 *     Wait.forLogMessage("ready to accept connections", 1),
 *     Wait.forListeningPort(5432),
 *     Wait.forCommand("pg_isready", "-U", "postgres").withTimeout(Duration.ofSeconds(10)));
 * }</pre>
 */
public sealed interface Wait
    permits Wait.LogMessage, Wait.ListeningPort, Wait.Http, Wait.Command, Wait.AllOf, Wait.AnyOf {

  /** @return how long this strategy may take, or null for the fixture's startup timeout */
  Duration timeout();

  /**
   * @param timeout the time limit
   * @return this strategy with its own time limit
   */
  Wait withTimeout(Duration timeout);

  /**
   * Ready once the container's output (stdout and stderr) has a line matching {@code regex}
   * ({@link java.util.regex.Matcher#find() found} anywhere in the line) {@code times} times.
   *
   * @param regex the pattern to find in a line
   * @param times how many lines must match
   * @return the strategy
   * @throws IllegalArgumentException when the regex does not compile or times is below 1
   */
  static Wait forLogMessage(String regex, int times) {
    return new LogMessage(regex, times, null);
  }

  /**
   * Ready once a process in the container listens on TCP {@code containerPort}.
   *
   * @param containerPort the TCP port inside the container
   * @return the strategy
   */
  static Wait forListeningPort(int containerPort) {
    return new ListeningPort(containerPort, null);
  }

  /**
   * Ready once {@code GET http://host:hostPort(containerPort)path} answers {@code status}; the
   * port must be published.
   *
   * @param containerPort the published TCP port inside the container
   * @param path the path to request, e.g. {@code /health}
   * @param status the status code to wait for
   * @return the strategy
   */
  static Wait forHttp(int containerPort, String path, int status) {
    return new Http(containerPort, path, status, null);
  }

  /**
   * Ready once {@code command} run in the container ({@code exec}) exits with 0.
   *
   * @param command the program and its arguments
   * @return the strategy
   */
  static Wait forCommand(String... command) {
    return new Command(List.of(command), null);
  }

  /**
   * Ready once every strategy is, checked in order.
   *
   * @param waits the strategies
   * @return the strategy
   */
  static Wait allOf(Wait... waits) {
    return new AllOf(List.of(waits), null);
  }

  /**
   * Ready as soon as one of the strategies is.
   *
   * @param waits the strategies
   * @return the strategy
   */
  static Wait anyOf(Wait... waits) {
    return new AnyOf(List.of(waits), null);
  }

  private static void requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("container port " + port + " is not a TCP port: use"
          + " 1..65535");
    }
  }

  private static Duration requirePositive(Duration timeout) {
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("wait timeout " + timeout + " must be positive");
    }
    return timeout;
  }

  /**
   * A log line matching a regex, seen {@code times} times.
   *
   * @param regex a {@link Pattern} found within a line
   * @param times how many matching lines to wait for, at least 1
   * @param timeout null for the fixture's startup timeout
   */
  record LogMessage(String regex, int times, Duration timeout) implements Wait {
    /**
     * @param regex the pattern to find in a line
     * @param times how many lines must match
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException for a bad regex or times below 1
     */
    public LogMessage {
      try {
        Pattern.compile(Objects.requireNonNull(regex, "regex"));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("log message regex '" + regex + "' does not compile: "
            + e.getDescription(), e);
      }
      if (times < 1) {
        throw new IllegalArgumentException("wait for log message '" + regex + "' " + times
            + " times: times must be at least 1");
      }
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new LogMessage(regex, times, timeout);
    }

    @Override
    public String toString() {
      return "log line matching /" + regex + "/" + (times > 1 ? " " + times + " times" : "");
    }
  }

  /**
   * A TCP port with a listening socket in the container's network.
   *
   * @param containerPort 1..65535
   * @param timeout null for the fixture's startup timeout
   */
  record ListeningPort(int containerPort, Duration timeout) implements Wait {
    /**
     * @param containerPort the TCP port inside the container
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException for a port outside 1..65535
     */
    public ListeningPort {
      requirePort(containerPort);
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new ListeningPort(containerPort, timeout);
    }

    @Override
    public String toString() {
      return "port " + containerPort + "/tcp listening";
    }
  }

  /**
   * An HTTP GET answering a status.
   *
   * @param containerPort a published port, 1..65535
   * @param path starting with {@code /}
   * @param status the expected status code, 100..599
   * @param timeout null for the fixture's startup timeout
   */
  record Http(int containerPort, String path, int status, Duration timeout) implements Wait {
    /**
     * @param containerPort the published TCP port inside the container
     * @param path the path to request
     * @param status the status code to wait for
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException for a bad port, path or status
     */
    public Http {
      requirePort(containerPort);
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("HTTP wait path '" + path + "' must start with /");
      }
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException("HTTP wait status " + status + " is not an HTTP"
            + " status: use 100..599");
      }
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new Http(containerPort, path, status, timeout);
    }

    @Override
    public String toString() {
      return "GET :" + containerPort + path + " answering " + status;
    }
  }

  /**
   * A command run in the container exiting with 0.
   *
   * @param command the program and its arguments, not empty
   * @param timeout null for the fixture's startup timeout
   */
  record Command(List<String> command, Duration timeout) implements Wait {
    /**
     * @param command the program and its arguments
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException for an empty command
     */
    public Command {
      command = List.copyOf(command);
      if (command.isEmpty()) {
        throw new IllegalArgumentException("wait for a command needs a command, e.g."
            + " Wait.forCommand(\"pg_isready\")");
      }
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new Command(command, timeout);
    }

    @Override
    public String toString() {
      return "command " + String.join(" ", command) + " succeeding";
    }
  }

  /**
   * Every strategy, in order.
   *
   * @param waits at least one
   * @param timeout a limit for all of them together; null for the fixture's startup timeout
   */
  record AllOf(List<Wait> waits, Duration timeout) implements Wait {
    /**
     * @param waits the strategies
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException when no strategy is given
     */
    public AllOf {
      waits = requireSome(waits, "allOf");
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new AllOf(waits, timeout);
    }

    @Override
    public String toString() {
      return "all of " + waits;
    }
  }

  /**
   * The first strategy that is satisfied.
   *
   * @param waits at least one
   * @param timeout null for the fixture's startup timeout
   */
  record AnyOf(List<Wait> waits, Duration timeout) implements Wait {
    /**
     * @param waits the strategies
     * @param timeout the time limit, or null for the fixture's
     * @throws IllegalArgumentException when no strategy is given
     */
    public AnyOf {
      waits = requireSome(waits, "anyOf");
      requirePositive(timeout);
    }

    @Override
    public Wait withTimeout(Duration timeout) {
      return new AnyOf(waits, timeout);
    }

    @Override
    public String toString() {
      return "any of " + waits;
    }
  }

  private static List<Wait> requireSome(List<Wait> waits, String what) {
    List<Wait> copy = List.copyOf(waits);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("Wait." + what + "() needs at least one strategy");
    }
    return copy;
  }
}
