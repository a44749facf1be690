package dev.berth.internal.runtime;

import java.time.Duration;

/** The words Docker prints for times and states, so `ps` output reads the same. */
public final class DockerText {
  private DockerText() {}

  /** Docker's (go-units) human duration: "Less than a second", "3 seconds", "About an hour". */
  public static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 1) {
      return "Less than a second";
    }
    if (seconds == 1) {
      return "1 second";
    }
    if (seconds < 60) {
      return seconds + " seconds";
    }
    long minutes = d.toMinutes();
    if (minutes == 1) {
      return "About a minute";
    }
    if (minutes < 60) {
      return minutes + " minutes";
    }
    long hours = Math.round(d.toMillis() / 3_600_000.0);
    if (hours == 1) {
      return "About an hour";
    }
    if (hours < 48) {
      return hours + " hours";
    }
    if (hours < 24 * 7 * 2) {
      return hours / 24 + " days";
    }
    if (hours < 24 * 30 * 2) {
      return hours / 24 / 7 + " weeks";
    }
    if (hours < 24 * 365 * 2) {
      return hours / 24 / 30 + " months";
    }
    return d.toHours() / 24 / 365 + " years";
  }

  /** `Up 3 seconds`, as `docker ps` shows a running container. */
  public static String up(Duration sinceStart, boolean paused) {
    return "Up " + humanDuration(sinceStart) + (paused ? " (Paused)" : "");
  }

  /** `Exited (0) 2 minutes ago`, as `docker ps -a` shows a stopped container. */
  public static String exited(int code, Duration sinceFinish) {
    return "Exited (" + code + ") " + humanDuration(sinceFinish) + " ago";
  }

  /** `2 minutes ago`, the CREATED column. */
  public static String ago(Duration d) {
    return humanDuration(d) + " ago";
  }

  /** Docker's size format for `docker images`: decimal units, 3 significant digits ("181MB"). */
  public static String size(long bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    double v = bytes;
    int i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return threeDigits(v) + units[i];
  }

  /**
   * {@code v} (0, or 1 and more) to three significant digits, half up on its exact binary value,
   * trailing zeros dropped: what {@code new BigDecimal(v).round(new MathContext(3))
   * .stripTrailingZeros().toPlainString()} writes, without BigDecimal below 1000, whose first use
   * costs a cold JVM ~25 ms (its and BigInteger's initialisation). {@code Math.fma} gives the
   * sign of {@code v * scale - (floor + 0.5)} exactly, so a product that rounds onto a half is
   * still judged by {@code v}'s exact value.
   */
  static String threeDigits(double v) {
    if (v >= 1000) { // 1000 PB and more: never an image's size
      return new java.math.BigDecimal(v).round(new java.math.MathContext(3))
          .stripTrailingZeros().toPlainString();
    }
    int scale = v >= 100 ? 1 : v >= 10 ? 10 : 100;
    // the product may round up onto an integer the exact value is just below; then the exact
    // value is still above that integer's lower half, so the rounded result is the same
    double floor = Math.floor(v * scale);
    long r = (long) floor + (Math.fma(v, scale, -(floor + 0.5)) >= 0 ? 1 : 0);
    String fraction = Long.toString(scale + r % scale).substring(1); // zero-padded: "05", "50"
    int end = fraction.length();
    while (end > 0 && fraction.charAt(end - 1) == '0') {
      end--; // no regex: a cold images would compile one
    }
    return r / scale + (end == 0 ? "" : "." + fraction.substring(0, end));
  }
}
