package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerTextTest {

  @ParameterizedTest
  @CsvSource({
    "0, Less than a second",
    "1, 1 second",
    "3, 3 seconds",
    "59, 59 seconds",
    "60, About a minute",
    "119, About a minute",
    "120, 2 minutes",
    "3599, 59 minutes",
    "3600, About an hour",
    "5399, About an hour",
    "5400, 2 hours",
    "169199, 47 hours",
    "172800, 2 days",
    "1209600, 2 weeks",
    "5184000, 2 months",
    "63072000, 2 years"
  })
  void humanDuration_matchesDockersWording(long seconds, String expected) {
    assertThat(DockerText.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, 0B", "999, 999B", "1000, 1kB", "181234567, 181MB", "1500000000, 1.5GB"})
  void size_usesDecimalUnitsLikeDockerImages(long bytes, String expected) {
    assertThat(DockerText.size(bytes)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void threeDigits_writesWhatBigDecimalRoundedToThreeDigitsWrites() {
    for (long n = 0; n < 1_000_000; n++) { // every size below 1 MB as size() scales it: B, kB
      double v = n < 1000 ? n : n / 1000.0;
      assertThat(DockerText.threeDigits(v)).as("%s", v).isEqualTo(reference(v));
    }
    java.util.Random random = new java.util.Random(17);
    for (int n = 0; n < 200_000; n++) { // MB, GB …: scaled twice or more
      double v = random.nextLong(1_000_000, Long.MAX_VALUE >>> random.nextInt(44)) / 1000.0;
      while (v >= 1000) {
        v /= 1000;
      }
      assertThat(DockerText.threeDigits(v)).as("%s", v).isEqualTo(reference(v));
    }
    for (long k = 100; k < 1000; k++) { // the halves of each last digit kept, and their neighbours
      for (double scale : new double[] {100, 10, 1}) {
        double tie = (k + 0.5) / scale;
        for (double v : new double[] {Math.nextDown(tie), tie, Math.nextUp(tie)}) {
          assertThat(DockerText.threeDigits(v)).as("%s", v).isEqualTo(reference(v));
        }
      }
    }
  }

  private static String reference(double v) {
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros()
        .toPlainString();
  }

  @org.junit.jupiter.api.Test
  void statusTexts_readLikeDockerPs() {
    assertThat(DockerText.up(Duration.ofSeconds(3), false)).isEqualTo("Up 3 seconds");
    assertThat(DockerText.up(Duration.ofSeconds(3), true)).isEqualTo("Up 3 seconds (Paused)");
    assertThat(DockerText.exited(137, Duration.ofMinutes(2)))
        .isEqualTo("Exited (137) 2 minutes ago");
  }
}
