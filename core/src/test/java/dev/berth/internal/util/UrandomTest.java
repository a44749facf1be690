package dev.berth.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UrandomTest {
  @Test
  void nextInt_staysInItsBound_andReachesEveryValue() {
    int[] seen = new int[7];
    for (int i = 0; i < 7_000; i++) {
      seen[Urandom.nextInt(7)]++;
    }
    // each value ~1,000 times; below 800 or above 1,200 happens by chance with p < 1e-9
    for (int n : seen) {
      assertThat(n).isBetween(800, 1_200);
    }
    assertThat(Urandom.nextInt(1)).isZero();
    assertThatThrownBy(() -> Urandom.nextInt(0)).hasMessageContaining("bound 0 must be positive");
  }

  @Test
  void nextBytesAndLong_differEachTime() {
    Set<Long> longs = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      longs.add(Urandom.nextLong());
    }
    assertThat(longs).hasSize(1_000);
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    Urandom.nextBytes(a);
    Urandom.nextBytes(b);
    assertThat(a).isNotEqualTo(b).isNotEqualTo(new byte[32]);
  }
}
