package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path reads what Instant.parse reads, to the nanosecond; everything else is Instant.parse's. */
class Rfc3339Test {
  @Test
  void randomTimes_inEveryFractionLengthAndOffset_readAsInstantParseReadsThem() {
    Random random = new Random(42);
    List<ZoneOffset> offsets = List.of(ZoneOffset.UTC, ZoneOffset.ofHours(2), ZoneOffset.ofHoursMinutes(-5, -30),
        ZoneOffset.ofHours(14), ZoneOffset.ofHours(-12));
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong() % 8_000_000_000L + 4_000_000_000L, random.nextInt(1_000_000_000));
      int digits = i % 10;
      String pattern = "yyyy-MM-dd'T'HH:mm:ss" + (digits == 0 ? "" : "." + "S".repeat(digits)) + "XXX";
      String text = DateTimeFormatter.ofPattern(pattern).format(t.atOffset(offsets.get(i % offsets.size())));
      assertThat(Rfc3339.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void whatTheMonitorAndDockerWrite() {
    assertThat(Rfc3339.parse("2026-12-04T19:02:03.123456789Z")).isEqualTo(Instant.parse("2026-12-04T19:02:03.123456789Z"));
    assertThat(Rfc3339.parse("2024-02-29T00:00:00Z")).isEqualTo(Instant.parse("2024-02-29T00:00:00Z"));
    assertThat(Rfc3339.parse("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
    assertThat(Rfc3339.parse("1969-12-31T23:59:59.5Z")).isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
  }

  @Test
  void unusualButValidText_isInstantParses() {
    for (String s : List.of("2024-05-01t12:34:56z", "2016-12-31T23:59:60Z", "+12024-05-01T12:34:56Z",
        "2024-05-01T24:00:00Z", "2024-05-01T12:34:56.Z")) {
      assertThat(Rfc3339.parse(s)).as(s).isEqualTo(Instant.parse(s));
    }
  }

  @Test
  void textThatIsNoTime_failsAsInstantParseFails() {
    for (String s : List.of("", "yesterday", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", 
        "2024-05-01T12:34:56", "2024-05-01T12:34:56.1234567890Z", "2024-05-01 12:34:56Z",
        "2024-05-01T12:34:56+2:00")) {
      assertThatThrownBy(() -> Rfc3339.parse(s)).as(s).isInstanceOf(DateTimeParseException.class);
    }
  }
}
