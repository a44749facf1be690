package dev.berth;

/** The registry (or the local store) has no image under the reference asked for. */
public final class ImageNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  /** The reference that was not found. */
  private final String reference;

  /**
   * @param reference the normalised reference that was not found
   * @param message what was asked of whom, and what to check
   */
  public ImageNotFoundException(String reference, String message) {
    super(message);
    this.reference = reference;
  }

  /** @return the normalised reference, e.g. {@code docker.io/library/node:latest} */
  public String reference() {
    return reference;
  }
}
