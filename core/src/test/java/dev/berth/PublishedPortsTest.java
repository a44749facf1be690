package dev.berth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testsupport.FixtureEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** RunOptions.publish and Container.hostPort: the public face of published ports. */
class PublishedPortsTest {
  @Test
  void publish_containerPortOutOfRange_isRefusedNamingIt() {
    assertThatThrownBy(() -> RunOptions.builder().publish(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
  }

  @Test
  void publish_isPartOfTheOptionsValue() {
    RunOptions a = RunOptions.builder().publish(80).build();
    assertThat(a.ports()).containsExactly(new PortMapping("127.0.0.1", 0, 80, "tcp"));
    assertThat(a).isEqualTo(a.toBuilder().build()).isNotEqualTo(RunOptions.builder().build());
  }

  @Test
  @EnabledIf(value = "dev.berth.testsupport.FixtureEngines#runsContainers",
      disabledReason = "runs a container as root")
  void hostPort_ofAPortNotPublished_isRefusedNamingThePublishedOnes() {
    Berth engine = FixtureEngines.with("busybox");
    try (Container c = engine.run("busybox", RunOptions.builder().command("sleep", "30")
        .publish(80).detach(true).build())) {
      assertThat(c.hostPort(80)).isPositive();
      assertThat(c.inspect().ports()).extracting(PortMapping::containerPort).containsExactly(80);
      assertThatThrownBy(() -> c.hostPort(81)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not publish TCP port 81").hasMessageContaining("publish(81)");
    }
  }
}
