package dev.berth;

/**
 * No connection could be made to a registry (refused, timed out, name not resolved) or its TLS
 * certificate was not trusted. The message names host and port, the cause, and the fix.
 */
public final class RegistryUnreachableException extends RegistryException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which host and port, why, and what to do
   * @param cause the underlying I/O or TLS failure
   */
  public RegistryUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
