package dev.berth.internal.util;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the RFC 3339 times the store, the monitor and registries write ({@code
 * 2024-05-01T12:34:56.123456789Z}, {@code …+02:00}) without {@link java.time.format}: the first
 * {@code Instant.parse} of a JVM loads the formatter's classes and spins method handles (a cold
 * {@code berth images} spent several ms there), and every later one walks a general parser. Anything
 * outside the common shape (lower-case {@code t} or {@code z}, a leap second, a year not of four
 * digits, no seconds) is handed to {@link Instant#parse}, so the result, and the exception for
 * text that is no time, are always {@code Instant.parse}'s.
 */
public final class Rfc3339 {
  private Rfc3339() {}

  /**
   * @return the instant
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(CharSequence text) {
    String s = text.toString();
    Instant fast = common(s);
    return fast != null ? fast : Instant.parse(s);
  }

  /** {@code YYYY-MM-DDTHH:MM:SS[.F{1,9}](Z|±HH:MM)}, or null. */
  private static Instant common(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) return null;
      nanos = digits(s, start, count);
      for (int k = count; k < 9; k++) {
        nanos *= 10;
      }
    }
    int offset;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offset = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59) return null;
      offset = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException notADate) {
      return null; // Instant.parse says why
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offset, nanos);
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
