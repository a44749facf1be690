package dev.berth;

/**
 * A {@code RUN} step of an image build exited with a non-zero code, as {@code docker build}
 * reports "The command … returned a non-zero code". Nothing of the failed step is kept; the steps
 * before it stay cached.
 */
public final class BuildFailedException extends BerthException {
  private static final long serialVersionUID = 1L;
  /** The failed step's instruction. */
  private final String step;
  /** The exit code of the failed step. */
  private final int exitCode;

  /**
   * @param step the step as written, e.g. {@code RUN make}
   * @param exitCode the command's exit code
   */
  public BuildFailedException(String step, int exitCode) {
    super("build step '" + step + "' failed: the command returned a non-zero code: " + exitCode
        + "; its output above says why");
    this.step = step;
    this.exitCode = exitCode;
  }

  /** @return the step as written, e.g. {@code RUN make} */
  public String step() {
    return step;
  }

  /** @return the command's exit code */
  public int exitCode() {
    return exitCode;
  }
}
