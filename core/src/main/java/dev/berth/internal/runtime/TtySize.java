package dev.berth.internal.runtime;

/**
 * A terminal's window size in character cells.
 *
 * @param rows 1 to 65535
 * @param cols 1 to 65535
 */
public record TtySize(int rows, int cols) {
  /** What a terminal of unknown size gets: the VT100's 24 by 80. */
  public static final TtySize DEFAULT = new TtySize(24, 80);

  public TtySize {
    if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) {
      throw new IllegalArgumentException("terminal size " + rows + "x" + cols + " must have 1 to 65535 rows and columns");
    }
  }

  @Override
  public String toString() {
    return rows + "x" + cols;
  }
}
