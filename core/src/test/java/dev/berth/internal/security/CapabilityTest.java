package dev.berth.internal.security;

import dev.berth.Capability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityTest {
  @Test
  void dockerDefault_isDockersMask() {
    assertThat(Long.toHexString(Capabilities.mask(Capabilities.DOCKER_DEFAULT))).isEqualTo("a80425fb");
  }

  @Test
  void parse_acceptsWithAndWithoutPrefix() {
    assertThat(Capability.parse("net_admin")).isEqualTo(Capability.parse("CAP_NET_ADMIN")).isEqualTo(Capability.NET_ADMIN);
  }

  @Test
  void number_isTheKernels() {
    assertThat(Capability.SYS_ADMIN.number()).isEqualTo(21);
    assertThat(Capability.CHECKPOINT_RESTORE.number()).isEqualTo(40);
  }

  @Test
  void resolve_unknownName_isAnErrorNamingIt() {
    assertThatThrownBy(() -> Capabilities.resolve(List.of("NET_ADMN"), List.of(), false)).hasMessageContaining("\"NET_ADMN\"");
  }

  @Test
  void resolve_dropAllThenAdd_keepsOnlyTheAdded() {
    assertThat(Capabilities.resolve(List.of("NET_ADMIN"), List.of("ALL"), false)).containsExactly(Capability.NET_ADMIN);
  }

  @Test
  void resolve_addAllThenDrop_keepsAllButTheDropped() {
    assertThat(Capabilities.resolve(List.of("ALL"), List.of("CHOWN"), false))
        .hasSize(Capability.values().length - 1).doesNotContain(Capability.CHOWN);
  }

  @Test
  void resolve_privileged_hasEveryCapability() {
    assertThat(Capabilities.resolve(List.of(), List.of(), true)).containsExactlyInAnyOrder(Capability.values());
  }

  @Test
  void resolve_dropOne_removesItFromTheDefault() {
    assertThat(Capabilities.resolve(List.of(), List.of("NET_RAW"), false)).hasSize(13).doesNotContain(Capability.NET_RAW);
  }
}
