package dev.berth.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's flag values: sizes as {@code 512m}, {@code 1g}, {@code 1024} (bytes); decimals. */
final class Units {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmg]?)b?");

  private Units() {}

  /** @throws CliException (125) naming the flag and the accepted forms */
  static long bytes(String flag, String value) {
    Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CliException(125, "invalid value \"" + value + "\" for " + flag
          + ": use a size such as 512m, 1g or a number of bytes");
    }
    int shift = switch (m.group(2)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      default -> 0;
    };
    return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
  }

  /** @throws CliException (125) naming the flag, for anything but a decimal number */
  static double decimal(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new CliException(125, "invalid value \"" + value + "\" for " + flag
          + ": use a number such as 1.5");
    }
  }
}
