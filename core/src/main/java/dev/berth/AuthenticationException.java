package dev.berth;

/**
 * A registry refused the credentials Berth presented (or asked for credentials and none were
 * configured). The message names the registry and which credentials were tried.
 */
public final class AuthenticationException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message which registry refused which credentials, and how to configure others */
  public AuthenticationException(String message) {
    super(message);
  }
}
