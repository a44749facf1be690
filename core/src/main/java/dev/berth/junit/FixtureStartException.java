package dev.berth.junit;

import dev.berth.BerthException;

/**
 * A fixture did not start, or was not ready within its timeout. The message names the fixture,
 * what it waited for, the container's exit status and its last log lines; the container has been
 * removed.
 */
public final class FixtureStartException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, with the container's status and last log lines */
  public FixtureStartException(String message) {
    super(message);
  }

  /**
   * @param message what failed, with the container's status and last log lines
   * @param cause the underlying failure
   */
  public FixtureStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
