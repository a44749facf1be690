package dev.berth;

/**
 * The root of every exception Berth throws. Unchecked: catch it, or one of its subclasses, where
 * you can do something about the failure.
 *
 * <p>Messages say what failed, on which thing, and what to do about it.
 */
public class BerthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, on which thing, and what to do */
  public BerthException(String message) {
    super(message);
  }

  /**
   * @param message what failed, on which thing, and what to do
   * @param cause the underlying failure
   */
  public BerthException(String message, Throwable cause) {
    super(message, cause);
  }
}
