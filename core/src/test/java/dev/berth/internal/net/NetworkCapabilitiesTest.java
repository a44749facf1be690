package dev.berth.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.internal.linux.Linux;
import org.junit.jupiter.api.Test;

class NetworkCapabilitiesTest {
  @Test
  void probe_asRootWithIpAndNft_supportsEveryMode() {
    assumeTrue(Linux.isRoot(), "describes root");
    assumeTrue(Commands.find("ip").isPresent() && Commands.find("nft").isPresent(), "needs iproute2 and nftables installed");
    assertThat(NetworkCapabilities.probe().unavailable()).isEmpty();
  }

  @Test
  void probe_everyMode_isEitherAvailableWithOutboundOrUnavailableWithReason() {
    NetworkCapabilities caps = NetworkCapabilities.probe();
    for (NetworkSpec.Mode m : NetworkSpec.Mode.values()) {
      assertThat(caps.supports(m) ? caps.outbound().get(m) : caps.whyNot(m).orElse(null)).as(m.name()).isNotBlank();
    }
  }
}
