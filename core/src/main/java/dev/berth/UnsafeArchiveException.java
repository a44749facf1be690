package dev.berth;

/**
 * A layer archive tried to create, change or follow something outside the directory it is
 * unpacked into ({@code ../} names, absolute names, symlinks or hardlinks that escape). Nothing
 * of the layer was kept.
 */
public final class UnsafeArchiveException extends BerthException {
  private static final long serialVersionUID = 1L;

  /** @param message which entry of which layer, and what it tried */
  public UnsafeArchiveException(String message) {
    super(message);
  }
}
