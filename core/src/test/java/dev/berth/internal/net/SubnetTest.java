package dev.berth.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SubnetTest {
  @Test
  void parse_cidr_keepsNetworkAndPrefix() {
    assertThat(Subnet.parse("10.89.3.7/24")).hasToString("10.89.3.0/24");
  }

  @Test
  void parse_plainAddress_isASingleHost() {
    assertThat(Subnet.parse("192.0.2.2").prefix()).isEqualTo(32);
  }

  @Test
  void parse_badAddress_namesIt() {
    assertThatThrownBy(() -> Subnet.parse("10.89.300.0/24")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"10.89.300.0\" is not an IPv4 address");
  }

  @Test
  void parse_badPrefix_namesIt() {
    assertThatThrownBy(() -> Subnet.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10.0.0.0/x");
  }

  @Test
  void overlaps_containingNetwork_isTrue() {
    assertThat(Subnet.parse("10.89.3.0/24").overlaps(Subnet.parse("10.0.0.0/8"))).isTrue();
  }

  @Test
  void overlaps_neighbour_isFalse() {
    assertThat(Subnet.parse("10.89.3.0/24").overlaps(Subnet.parse("10.89.4.0/24"))).isFalse();
  }

  @Test
  void address_outsideTheNetwork_isRefused() {
    assertThatThrownBy(() -> Subnet.parse("10.89.3.0/24").address(256)).isInstanceOf(IllegalArgumentException.class);
  }
}
