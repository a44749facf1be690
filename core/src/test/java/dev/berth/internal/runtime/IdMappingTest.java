package dev.berth.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IdMappingTest {
  private static final IdMapping FULL = IdMapping.fullRange(1001, 1002, new SubIds.Range(100000, 65536), new SubIds.Range(200000, 70000));

  @Test
  void fullRange_rootIsTheCaller() {
    assertThat(FULL.hostUid(0)).isEqualTo(1001);
    assertThat(FULL.hostGid(0)).isEqualTo(1002);
  }

  @Test
  void fullRange_idsFromOneAreTheSubordinateRange() {
    assertThat(FULL.hostUid(1)).isEqualTo(100000);
    assertThat(FULL.hostUid(1000)).isEqualTo(100999);
    assertThat(FULL.hostGid(42)).isEqualTo(200041);
  }

  @Test
  void fullRange_mapsAtMost65536SubordinateIds() {
    assertThat(FULL.gids().get(1).count()).isEqualTo(65536);
  }

  @Test
  void fullRange_idBeyondTheRange_isSquashedToTheCaller() {
    assertThat(FULL.hostUid(70000)).isEqualTo(1001);
  }

  @Test
  void single_squashesEveryOwnerToTheCaller() {
    IdMapping single = IdMapping.single(1001, 1002);
    assertThat(single.hostUid(0)).isEqualTo(1001);
    assertThat(single.hostUid(1000)).isEqualTo(1001);
    assertThat(single.hostGid(42)).isEqualTo(1002);
  }

  @Test
  void host_keepsIds() {
    assertThat(IdMapping.host().hostUid(1000)).isEqualTo(1000);
  }

  @Test
  void range_zeroCount_isRefused() {
    assertThatThrownBy(() -> new IdMapping.Range(0, 1000, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 1000 0 is not valid");
  }

  @Test
  void hostKindWithRanges_isRefused() {
    assertThatThrownBy(() -> new IdMapping(IdMapping.Kind.HOST, List.of(new IdMapping.Range(0, 1, 1)), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HOST id mapping has 1 uid and 0 gid ranges");
  }

  @Test
  void range_toString_isAUidMapLine() {
    assertThat(FULL.uids().get(1)).hasToString("1 100000 65536");
  }
}
