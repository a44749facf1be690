package dev.berth.internal.linux;

/**
 * One name in a directory listing.
 *
 * @param name the name (never {@code .} or {@code ..})
 * @param type the {@code d_type} value: {@link #DT_DIR}, {@link #DT_LNK}, … or {@link #DT_UNKNOWN}
 */
public record DirEntry(String name, int type) {
  public static final int DT_UNKNOWN = 0;
  public static final int DT_DIR = 4;
  public static final int DT_LNK = 10;

  /** @return whether the listing said this is a directory */
  public boolean isDirectory() {
    return type == DT_DIR;
  }
}
