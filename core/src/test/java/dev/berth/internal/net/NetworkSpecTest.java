package dev.berth.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkSpecTest {
  @Test
  void host_withPorts_isRefusedSayingWhy() {
    assertThatThrownBy(() -> new NetworkSpec(NetworkSpec.Mode.HOST, null, 0, List.of(), List.of(NetworkSpec.tcp(80, 80))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already are the host's");
  }

  @Test
  void joined_withPorts_isRefused() {
    assertThatThrownBy(() -> new NetworkSpec(NetworkSpec.Mode.CONTAINER, null, 42, List.of(), List.of(NetworkSpec.tcp(80, 80))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publish them on the container whose network is joined");
  }

  @Test
  void joined_withoutPid_isRefused() {
    assertThatThrownBy(() -> NetworkSpec.joining(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("init pid");
  }

  @Test
  void bridge_withoutName_isRefused() {
    assertThatThrownBy(() -> new NetworkSpec(NetworkSpec.Mode.BRIDGE, null, 0, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a network name");
  }

  @Test
  void aliases_withoutBridge_areRefused() {
    assertThatThrownBy(() -> new NetworkSpec(NetworkSpec.Mode.PRIVATE, null, 0, List.of("db"), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aliases [db]");
  }

  @Test
  void moreNetworks_onHostOrNone_areRefused() {
    assertThatThrownBy(() -> NetworkSpec.host().withMore(List.of(new NetworkSpec.More("n2", List.of("web")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more networks [n2]").hasMessageContaining("HOST");
    assertThatThrownBy(() -> NetworkSpec.none().withMore(List.of(new NetworkSpec.More("n2", List.of("web")))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NONE");
  }

  @Test
  void ownNamespace_onlyForNonePrivateAndBridge() {
    assertThat(NetworkSpec.none().ownNamespace()).isTrue();
    assertThat(NetworkSpec.privateNetwork().ownNamespace()).isTrue();
    assertThat(NetworkSpec.bridge("n", List.of()).ownNamespace()).isTrue();
    assertThat(NetworkSpec.host().ownNamespace()).isFalse();
    assertThat(NetworkSpec.joining(1).ownNamespace()).isFalse();
  }
}
