package dev.berth;

/**
 * The request conflicts with the state of what it names: a container name already taken, a
 * running container to remove without force, a network that still has containers or that a
 * container is on already, a volume in use. The message names both sides and what to do.
 */
public final class ConflictException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message what conflicts with what, and what to do */
  public ConflictException(String message) {
    super(message);
  }
}
