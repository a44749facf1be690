package dev.berth;

/**
 * A registry could not be reached, could not be trusted, or answered something Berth cannot use
 * (an unexpected status, a malformed or unsupported manifest). The message names the registry.
 */
public class RegistryException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed with which registry, and what to do */
  public RegistryException(String message) {
    super(message);
  }

  /**
   * @param message what failed with which registry, and what to do
   * @param cause the underlying failure
   */
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
