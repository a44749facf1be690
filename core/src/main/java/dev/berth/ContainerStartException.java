package dev.berth;

/**
 * A container could not be started: its program was not found or not runnable, or setting up
 * its namespaces, mounts or credentials failed. Like Docker, {@link #exitCode()} is 127 when the
 * program was not found, 126 when it was found but could not be run, and 125 for any other
 * start failure.
 *
 * <pre>{@code
 * try {
 *   image.run(opts);
 * } catch (ContainerStartException e) {
 *   System.err.println(e.getMessage()); // exec "nodee": executable file not found in $PATH
 * }
 * }</pre>
 */
public final class ContainerStartException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** The stage of the start that failed. */
  private final String stage;
  /** The errno of the failed call, or 0. */
  private final int errno;
  /** The exit code the start reported. */
  private final int exitCode;

  /**
   * @param message what failed, on which thing, and what to do
   * @param stage the start-up stage that failed, such as {@code exec} or {@code mount}
   * @param errno the system error number, or 0 when the failure was not a system call's
   * @param exitCode the exit code Docker would report: 125, 126 or 127
   */
  public ContainerStartException(String message, String stage, int errno, int exitCode) {
    super(message);
    this.stage = stage;
    this.errno = errno;
    this.exitCode = exitCode;
  }

  /** @return the start-up stage that failed, such as {@code exec}, {@code mount} or {@code config} */
  public String stage() {
    return stage;
  }

  /** @return the system error number (errno), or 0 when no system call failed */
  public int errno() {
    return errno;
  }

  /** @return 127 program not found, 126 program not runnable, 125 any other start failure */
  public int exitCode() {
    return exitCode;
  }
}
