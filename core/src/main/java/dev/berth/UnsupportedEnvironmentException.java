package dev.berth;

/**
 * This host lacks something Berth needs for what was asked (a kernel feature, a permission, a
 * program). The message says what is missing and how to provide it.
 */
public final class UnsupportedEnvironmentException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message what is missing and how to provide it */
  public UnsupportedEnvironmentException(String message) {
    super(message);
  }
}
