package dev.berth.cli;

/** A failure the CLI itself detects, with the exit code Docker would give for it. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  /** A Docker flag or verb whose public Berth API has not landed: refused, never ignored. */
  static CliException notYet(String what) {
    return new CliException(125, what + " is not supported by this version of Berth yet");
  }
}
