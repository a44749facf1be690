package dev.berth.dockerapi.internal;

import java.util.Locale;

/** Docker's human sizes ({@code 64m}, {@code 1g}, {@code 512k}, plain bytes) as bytes. */
final class Sizes {
  private Sizes() {}

  static long parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long unit = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      return (long) (Double.parseDouble(digits) * unit);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("invalid size: '" + text + "'");
    }
  }

  /** @return Docker's human size: 4 significant digits, decimal units ({@code 12.5MB}) */
  static String human(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros()
        .toPlainString() + units[i];
  }
}
