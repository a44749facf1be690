package dev.berth;

/**
 * What was asked for does not exist: a container, network, volume or image ({@code docker}'s
 * "No such …"). The message names it and what to do.
 */
public class NotFoundException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message what was not found, and what to do */
  public NotFoundException(String message) {
    super(message);
  }
}
