package dev.berth.internal.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.Digest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainIdsTest {
  // the diff_ids of image-spec's config.md example, plus sha256 of "cc"
  private static final Digest D0 =
      Digest.parse("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1");
  private static final Digest D1 =
      Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
  private static final Digest D2 =
      Digest.parse("sha256:355b1bbfc96725cdce8f4a2708fda310a80e6d13315aec4e5eed2a75fe8032ce");

  @Test
  void compute_noLayers_returnsEmpty() {
    assertThat(ChainIds.compute(List.of())).isEmpty();
  }

  @Test
  void compute_baseLayer_isItsDiffId() {
    assertThat(ChainIds.compute(List.of(D0))).containsExactly(D0);
  }

  @Test
  void compute_threeLayers_matchesSha256sumOfTheSpecFormula() {
    // Computed in a shell:
    //   C1=sha256:$(printf '%s %s' $D0 $D1 | sha256sum | cut -d' ' -f1)
    //   C2=sha256:$(printf '%s %s' $C1 $D2 | sha256sum | cut -d' ' -f1)
    Digest c1 =
        Digest.parse("sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f");
    Digest c2 =
        Digest.parse("sha256:d38c61cfab106e9fc8b11b923822787acaefa2488bdffb195d056a47e5ecfabc");
    assertThat(ChainIds.compute(List.of(D0, D1, D2))).containsExactly(D0, c1, c2);
  }

  @Test
  void compute_nullDiffId_throwsNamingItsIndex() {
    assertThatThrownBy(() -> ChainIds.compute(Arrays.asList(D0, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("diffID 1 is null");
  }
}
